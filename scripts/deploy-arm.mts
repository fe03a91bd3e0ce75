// pnpm deploy:arm: deploy Spegel, k8s-digester and ARC to parma in order, with retries and rollback, then verify.
import { runMain } from '@stateless-ci/core';
import { deployCommand } from './lib/deploy-command.ts';

void runMain(() => deployCommand('parma', process.argv.slice(2), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }));
