// pnpm deploy:amd: deploy Spegel, k8s-digester and ARC to theia-prod, then verify.
import { runMain } from '@stateless-ci/core';
import { notBuiltCommand } from './lib/not-built.ts';
import { CLUSTER_FLAGS } from './lib/common-flags.ts';

const SPEC = {
  ...CLUSTER_FLAGS,
  'dry-run': { type: 'boolean', description: 'print what would change; exit 0 for none, 2 for changes' },
  rollback: { type: 'boolean', description: 'roll back on failure (default; --no-rollback keeps the failed state)' },
} as const;

await runMain(() => notBuiltCommand(['--cluster', 'theia-prod', ...process.argv.slice(2)], 'pnpm deploy:amd pipeline', 7, SPEC, 'usage: pnpm deploy:amd [--dry-run] [--no-rollback] [--context NAME] [--kubeconfig PATH] [--json]'));
