/**
 * The CLI's outer shell: runs a main function, maps errors to exit codes and prints them once,
 * redacted. Only entry points (scripts/*.mts) call this.
 */
import { ConfigError, ExitCode, ExitError, exitCodeFor, formatIssue } from './errors.ts';
import type { Redactor } from './redact.ts';
import { enterNetnsIfAsked } from './netns-entry.ts';

export function describeError(err: unknown): string {
  if (err instanceof ConfigError) {
    return `error: ${err.issues.length} problem${err.issues.length === 1 ? '' : 's'} in the input (nothing was changed):\n${err.issues.map((i) => `  ${formatIssue(i)}`).join('\n')}`;
  }
  if (err instanceof ExitError) return err.message;
  if (err instanceof Error) return `error: ${err.message}`;
  return `error: ${String(err)}`;
}

export async function runMain(main: () => Promise<number | void>, redactor?: Redactor): Promise<never> {
  const inside = enterNetnsIfAsked();
  if (inside !== undefined) process.exit(inside);
  let code: number;
  const interrupted = () => process.exit(ExitCode.interrupted);
  process.once('SIGINT', interrupted);
  try {
    code = (await main()) ?? ExitCode.ok;
  } catch (err) {
    const text = describeError(err);
    if (text) process.stderr.write(`${redactor ? redactor.redact(text) : text}\n`);
    if (!(err instanceof Error) || (err.name === 'Error' && process.env.STATELESS_CI_DEBUG === '1')) {
      process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
    }
    code = exitCodeFor(err);
  }
  process.exit(code);
}
