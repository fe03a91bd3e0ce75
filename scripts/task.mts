// pnpm task <component> <action> --cluster <name>: one action of one component, for debugging.
import { runMain } from '@stateless-ci/core';
import { taskCommand } from './lib/task-command.ts';

await runMain(() => taskCommand(process.argv.slice(2), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }));
