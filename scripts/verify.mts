// pnpm verify:amd|arm: every component's checks plus cross-component ones, as a table or --json.
import { runMain } from '@stateless-ci/core';
import { notBuiltCommand } from './lib/not-built.ts';
import { CLUSTER_FLAGS } from './lib/common-flags.ts';

await runMain(() => notBuiltCommand(process.argv.slice(2), 'the verify pipeline', 7, CLUSTER_FLAGS, 'usage: pnpm verify:amd|verify:arm [--context NAME] [--kubeconfig PATH] [--json]'));
