/**
 * The process runner every component uses: zx's `$`, always quiet, with the environment passed in.
 * `run` turns a failed ProcessOutput into a one-line CommandError whose text is redacted.
 */
import { $, ProcessOutput } from 'zx/core';
import { CommandError } from '../errors.ts';
import type { Redactor } from '../redact.ts';

export type Shell = typeof $;

export function createShell(env: NodeJS.ProcessEnv = process.env): Shell {
  return $({ quiet: true, env: { ...env }, verbose: false });
}

export interface RunOptions {
  readonly input?: string;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program with arguments (no shell parsing of them) and returns its output. */
export async function run(sh: Shell, program: string, args: readonly string[], redactor: Redactor | undefined, opts: RunOptions = {}): Promise<RunResult> {
  const shell = sh({
    halt: true,
    timeout: opts.timeoutMs ? `${opts.timeoutMs}ms` : undefined,
    signal: opts.signal,
  });
  try {
    const p = shell`${program} ${args}`;
    p.run();
    if (opts.input !== undefined) {
      // A program may exit without reading its input (missing binary, bad flags): the write then
      // fails with EPIPE, which zx's own `input` leaves unhandled and which would crash the process.
      // The exit code and stderr say what happened.
      const stdin = p.child?.stdin;
      stdin?.on('error', () => undefined);
      stdin?.end(opts.input);
    }
    const out = await p;
    return { stdout: out.stdout, stderr: out.stderr };
  } catch (err) {
    if (err instanceof ProcessOutput) {
      const r = (s: string) => (redactor ? redactor.redact(s) : s);
      throw new CommandError(r(`${program} ${args.slice(0, 3).join(' ')}`), err.exitCode, r(err.stderr || err.stdout), { cause: undefined });
    }
    throw err;
  }
}
