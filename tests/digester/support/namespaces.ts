/** Namespaces a suite borrows (arc-runners): created if absent, and if so deleted and waited for. */
import type { Kube } from '@stateless-ci/core';

async function gone(kube: Kube, name: string): Promise<void> {
  await kube.waitFor({ path: '/api/v1/namespaces', query: { fieldSelector: `metadata.name=${name}` }, timeoutMs: 120_000, description: `namespace ${name} gone`, until: (_t, _o, all) => (all.size === 0 ? true : undefined) });
}

/** Returns true when this call created the namespace (so the caller must remove it). */
export async function borrowNamespace(kube: Kube, name: string): Promise<boolean> {
  const live = await kube.read({ apiVersion: 'v1', kind: 'Namespace', name });
  if (live && !live.metadata.deletionTimestamp) return false;
  if (live) await gone(kube, name); // another suite is removing it; wait, then make our own
  await kube.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  await kube.waitFor({ path: `/api/v1/namespaces/${name}/serviceaccounts`, timeoutMs: 30_000, description: `sa/default in ${name}`, until: (_t, _o, all) => ([...all.values()].some((s) => s.metadata.name === 'default') ? true : undefined) });
  return true;
}

export async function returnNamespace(kube: Kube, name: string, created: boolean | undefined): Promise<void> {
  if (!created) return;
  await kube.delete({ apiVersion: 'v1', kind: 'Namespace', name });
  await gone(kube, name);
}
