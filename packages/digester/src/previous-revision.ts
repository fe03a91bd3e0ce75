/**
 * The revision a CLI rollback returns to. Helm keeps release history for the chart-based
 * components; the digester is applied server-side, so each apply that changes something keeps the
 * state before it (the same snapshot form: the cert Secret's key material is never included) in a
 * ConfigMap in the tool's state namespace. `pnpm task digester rollback` restores it.
 */
import { KubeApiError, STATE_NAMESPACE, stateNamespaceObject, type ClusterContext, type KubeObject, type Snapshot } from '@stateless-ci/core';

export const PREVIOUS_REVISION = 'stateless-ci-digester-previous';
const key = { apiVersion: 'v1', kind: 'ConfigMap', name: PREVIOUS_REVISION, namespace: STATE_NAMESPACE } as const;

export async function savePrevious(ctx: ClusterContext, snapshot: Snapshot): Promise<void> {
  const cm = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: PREVIOUS_REVISION, namespace: STATE_NAMESPACE, labels: { 'app.kubernetes.io/managed-by': 'stateless-ci' } },
    data: { 'snapshot.json': JSON.stringify(snapshot), savedAt: new Date().toISOString() },
  };
  // The state namespace is there whenever a deploy holds its lock: write first, create it only when
  // the write says it is missing (reading it first cost a round trip on the deploy's critical path).
  try {
    await ctx.kube.apply(cm);
  } catch (e) {
    if (!(e instanceof KubeApiError && e.code === 404)) throw e;
    await ctx.kube.apply(stateNamespaceObject());
    await ctx.kube.apply(cm);
  }
}

export async function loadPrevious(ctx: ClusterContext): Promise<Snapshot | undefined> {
  const cm = await ctx.kube.read<KubeObject & { data?: Record<string, string> }>(key);
  const text = cm?.data?.['snapshot.json'];
  return text ? (JSON.parse(text) as Snapshot) : undefined;
}

export async function clearPrevious(ctx: ClusterContext): Promise<void> {
  await ctx.kube.delete(key);
}
