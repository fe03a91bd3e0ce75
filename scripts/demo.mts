// pnpm demo: sandbox up (theia-prod profile), the real deploy and verify pipelines against it,
// a readable summary, teardown unless --keep.
import { runMain } from '@stateless-ci/core';
import { demoCommand, demoInner } from './lib/demo-command.ts';

const out = { stdout: (t: string) => process.stdout.write(t), stderr: (t: string) => process.stderr.write(t) };
const [first, profile] = process.argv.slice(2);
void runMain(() => (first === '__inner' ? demoInner(profile ?? 'theia-prod', out) : demoCommand(process.argv.slice(2), out)));
