/**
 * The revision a CLI rollback returns to. Helm keeps release history for the chart-based
 * components; the digester is applied server-side, so each apply that changes something keeps the
 * state before it (the same snapshot form: the cert Secret's key material is never included) in a
 * ConfigMap in the tool's state namespace. `pnpm task digester rollback` restores it.
 */
import { STATE_NAMESPACE, stateNamespaceObject, type ClusterContext, type KubeObject, type Snapshot } from '@stateless-ci/core';

export const PREVIOUS_REVISION = 'stateless-ci-digester-previous';
const key = { apiVersion: 'v1', kind: 'ConfigMap', name: PREVIOUS_REVISION, namespace: STATE_NAMESPACE } as const;

export async function savePrevious(ctx: ClusterContext, snapshot: Snapshot): Promise<void> {
  if (!(await ctx.kube.read({ apiVersion: 'v1', kind: 'Namespace', name: STATE_NAMESPACE }))) await ctx.kube.apply(stateNamespaceObject());
  await ctx.kube.apply({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: PREVIOUS_REVISION, namespace: STATE_NAMESPACE, labels: { 'app.kubernetes.io/managed-by': 'stateless-ci' } },
    data: { 'snapshot.json': JSON.stringify(snapshot), savedAt: new Date().toISOString() },
  });
}

export async function loadPrevious(ctx: ClusterContext): Promise<Snapshot | undefined> {
  const cm = await ctx.kube.read<KubeObject & { data?: Record<string, string> }>(key);
  const text = cm?.data?.['snapshot.json'];
  return text ? (JSON.parse(text) as Snapshot) : undefined;
}

export async function clearPrevious(ctx: ClusterContext): Promise<void> {
  await ctx.kube.delete(key);
}
