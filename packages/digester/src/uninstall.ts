/**
 * Removes everything the digester renders: the webhook first (so no pod creation is sent to a
 * webhook that is going away), the namespace last, then waits until the namespace is gone so a
 * re-install does not meet a Terminating namespace.
 */
import { UnhealthyError, describeKey, isClusterScoped, keyOf, type ClusterContext, type KubeObject } from '@stateless-ci/core';

export async function uninstallObjects(ctx: ClusterContext, objects: readonly KubeObject[], opts: { timeoutMs?: number } = {}): Promise<string[]> {
  const removed: string[] = [];
  // Reverse apply order; namespaced objects go with their namespace but are deleted explicitly
  // too, so an uninstall from a shared namespace still removes them.
  for (const o of [...objects].reverse()) {
    if (await ctx.kube.delete(keyOf(o))) removed.push(describeKey(keyOf(o)));
  }
  const ns = objects.find((o) => o.kind === 'Namespace')?.metadata.name;
  if (ns) await waitNamespaceGone(ctx, ns, opts.timeoutMs);
  const leftovers: string[] = [];
  for (const o of objects.filter((x) => isClusterScoped(x.kind))) if (await ctx.kube.read(keyOf(o))) leftovers.push(describeKey(keyOf(o)));
  if (leftovers.length > 0) throw new UnhealthyError(`digester uninstall left ${leftovers.join(', ')}; delete them by hand`);
  return removed;
}

/** Waits until a deleted namespace is gone (not just Terminating), so a re-install can follow. */
export async function waitNamespaceGone(ctx: ClusterContext, ns: string, timeoutMs = 180_000): Promise<void> {
  try {
    await ctx.kube.waitFor({
      path: '/api/v1/namespaces',
      query: { fieldSelector: `metadata.name=${ns}` },
      timeoutMs,
      signal: ctx.signal,
      description: `namespace ${ns} to be deleted`,
      until: (_t, _o, all) => (all.size === 0 ? true : undefined),
    });
  } catch (e) {
    throw new UnhealthyError(`${(e as Error).message}; check what holds it: kubectl get all -n ${ns}, and finalizers on the namespace`);
  }
}
