// pnpm task <component> <action> --cluster <name>: one action of one component, for debugging.
// pnpm task freshness --cluster <name>: the freshness check, as a task.
import { runMain } from '@stateless-ci/core';
import { freshnessCommand } from '@stateless-ci/verify/freshness';
import { freshnessProcessIO } from './lib/freshness-io.ts';
import { taskCommand } from './lib/task-command.ts';

void runMain(() =>
  taskCommand(process.argv.slice(2), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }, (argv) => freshnessCommand(argv, freshnessProcessIO)),
);
