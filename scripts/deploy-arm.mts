// pnpm deploy:arm: deploy Spegel, k8s-digester and ARC to parma, then verify.
import { runMain } from '@stateless-ci/core';
import { notBuiltCommand } from './lib/not-built.ts';
import { CLUSTER_FLAGS } from './lib/common-flags.ts';

const SPEC = {
  ...CLUSTER_FLAGS,
  'dry-run': { type: 'boolean', description: 'print what would change; exit 0 for none, 2 for changes' },
  rollback: { type: 'boolean', description: 'roll back on failure (default; --no-rollback keeps the failed state)' },
} as const;

await runMain(() => notBuiltCommand(['--cluster', 'parma', ...process.argv.slice(2)], 'pnpm deploy:arm pipeline', 7, SPEC, 'usage: pnpm deploy:arm [--dry-run] [--no-rollback] [--context NAME] [--kubeconfig PATH] [--json]'));
