/**
 * Waits for the rollout with one list and one watch on the DaemonSet (re-established if the
 * server closes it): no polling, no per-node calls, whatever the node count.
 */
import { UnhealthyError, type ClusterContext } from '@stateless-ci/core';
import { spegelNames } from './names.ts';
import { rolloutState, type DaemonSetObject } from './rollout.ts';

export interface WaitOptions {
  /** @default 600000 (large clusters roll in 10% steps) */
  readonly timeoutMs?: number;
}

export async function waitSpegel(ctx: ClusterContext, o: WaitOptions = {}): Promise<string> {
  const n = spegelNames(ctx.cluster.spegel);
  let last = rolloutState(undefined);
  try {
    return await ctx.kube.waitFor<DaemonSetObject, string>({
      path: `/apis/apps/v1/namespaces/${n.namespace}/daemonsets`,
      query: { fieldSelector: `metadata.name=${n.daemonSet}` },
      description: `DaemonSet ${n.namespace}/${n.daemonSet} to roll out`,
      timeoutMs: o.timeoutMs ?? 600_000,
      signal: ctx.signal,
      until: (_type, _obj, all) => {
        last = rolloutState(all.get(`${n.namespace}/${n.daemonSet}`));
        return last.done ? last.detail : undefined;
      },
    });
  } catch (e) {
    throw new UnhealthyError(`spegel: DaemonSet ${n.namespace}/${n.daemonSet} did not roll out: ${last.detail} (${(e as Error).message}); run \`pnpm task spegel verify\` to name the nodes`);
  }
}
