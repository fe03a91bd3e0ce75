// pnpm verify:amd|arm: every component's checks plus cross-component ones, as a table or --json.
import { runMain } from '@stateless-ci/core';
import { verifyCommand } from './lib/verify-command.ts';

void runMain(() => verifyCommand(process.argv.slice(2), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }));
