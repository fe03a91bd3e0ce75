// Runs inside the test network namespace: brings up the harness once, pushes the pinned upstream
// content into its registry, runs the cluster suites against it (they attach through
// STATELESS_CI_HARNESS_DIR), and always tears it down.
import { spawn } from 'node:child_process';
import { prepareUpstream, up } from '../../../tests/harness/src/index.ts';

const command = process.argv.slice(2);
if (command.length === 0) throw new Error('usage: cluster-session.mts <command...>');

const log = (l: string) => process.stderr.write(`[harness] ${l}\n`);
const started = Date.now();
const harness = await up({ profile: 'theia-prod', nodes: 3, log });
log(`up in ${((Date.now() - started) / 1000).toFixed(1)}s`);
let stopping: Promise<void> | undefined;
const stop = () => (stopping ??= harness.down());
process.once('SIGINT', () => void stop().then(() => process.exit(130)));
process.once('SIGTERM', () => void stop().then(() => process.exit(143)));
let code = 1;
try {
  for (const r of await prepareUpstream(harness)) {
    log(r.status === 'pushed' ? `pushed ${r.name} ${r.version} to ${r.ref}` : `unavailable: ${r.name} ${r.version}: ${r.reason}`);
  }
  code = await new Promise<number>((resolve) => {
    const child = spawn(command[0]!, command.slice(1), { stdio: 'inherit', env: { ...process.env, ...harness.env(), STATELESS_CI_HARNESS_DIR: harness.dir } });
    child.on('exit', (c, sig) => resolve(c ?? (sig ? 1 : 0)));
  });
} finally {
  await stop();
}
process.exit(code);
