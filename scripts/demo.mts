// pnpm demo: sandbox up (theia-prod profile), deploy and verify against it, summary, teardown.
import { runMain } from '@stateless-ci/core';
import { notBuiltCommand } from './lib/not-built.ts';

const SPEC = { keep: { type: 'boolean', description: 'keep the sandbox running afterwards' } } as const;
await runMain(() => notBuiltCommand(process.argv.slice(2), 'pnpm demo', 3, SPEC, 'usage: pnpm demo [--keep]', false));
