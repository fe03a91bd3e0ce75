/** Entry points whose issue has not landed: validate flags, then say so with exit code 1. */
import { NotBuiltError, flagHelp, loadCluster, parseFlags, requireFlag, type FlagSpec } from '@stateless-ci/core';

export async function notBuiltCommand(argv: readonly string[], what: string, issue: number, spec: FlagSpec, usage: string, needsCluster = true): Promise<number> {
  const parsed = parseFlags(argv, spec);
  if (parsed.help) {
    process.stdout.write(`${usage}\n\nflags:\n${flagHelp(spec)}\n\n(not built yet: issue #${issue})\n`);
    return 0;
  }
  if (needsCluster) {
    requireFlag(parsed, 'cluster', spec);
    await loadCluster(String(parsed.flags.cluster));
  }
  throw new NotBuiltError(what, issue);
}
