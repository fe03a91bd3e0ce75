/** Flags shared by every command that acts on a cluster. */
import type { FlagSpec } from './flags.ts';

export const CLUSTER_FLAGS = {
  cluster: { type: 'string', description: 'cluster name (clusters/<name>.yaml) or a cluster file path', example: 'theia-prod' },
  context: { type: 'string', description: 'kube context to use; naming one overrides the context guard', example: 'theia-prod' },
  kubeconfig: { type: 'string', description: 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)', example: '~/.kube/config' },
  json: { type: 'boolean', description: 'print machine-readable JSON on stdout' },
  verbose: { type: 'boolean', description: 'log every step to stderr' },
} as const satisfies FlagSpec;
