/**
 * The check's reads from the API server: pods in every namespace but kube-system and the
 * exclusions (a field selector, so the server filters; pages of 500, one call per page), then
 * ReplicaSets and Jobs only if pods point at them, then each referenced pull secret once.
 */
import { KubeApiError, type Kube, type Logger, type Redactor } from '@stateless-ci/core';
import { parseDockerConfig, type CredentialMap } from './docker-config.ts';
import type { PodLike } from './pod-images.ts';
import { ownerIndex, ownerKindsNeeded, type OwnerIndex } from './workloads.ts';

/** kube-system is always excluded; the rest come from the cluster file and --exclude. */
export function namespaceSelector(exclude: readonly string[]): string {
  return [...new Set(['kube-system', ...exclude])].map((n) => `metadata.namespace!=${n}`).join(',');
}

/** Pods are listed in pages of this size, so resolving can start before the last page is in. */
export const POD_PAGE_SIZE = 500;

async function listPage<T>(kube: Kube, path: string, query: Record<string, string>): Promise<{ items: T[]; continue?: string }> {
  const res = await kube.raw('GET', `${path}?${new URLSearchParams(query).toString()}`);
  if (res.status !== 200) {
    let reason = 'Error';
    let message = res.body.slice(0, 200);
    try {
      ({ reason = reason, message = message } = JSON.parse(res.body) as { reason?: string; message?: string });
    } catch {
      /* not a Status */
    }
    throw new KubeApiError(res.status, reason, `listing ${path}: ${message}`);
  }
  const list = JSON.parse(res.body) as { items: T[]; metadata?: { continue?: string } };
  return { items: list.items, continue: list.metadata?.continue || undefined };
}

async function listAll<T>(kube: Kube, path: string, fieldSelector: string): Promise<T[]> {
  return (await listPage<T>(kube, path, { fieldSelector })).items;
}

/** The pods the check reads, page by page (one consistent list: the continue token pins it). */
export async function* podPages(kube: Kube, exclude: readonly string[], pageSize = POD_PAGE_SIZE): AsyncGenerator<PodLike[]> {
  const fieldSelector = `${namespaceSelector(exclude)},status.phase!=Succeeded,status.phase!=Failed`;
  let token: string | undefined;
  do {
    const page = await listPage<PodLike>(kube, '/api/v1/pods', { fieldSelector, limit: String(pageSize), ...(token ? { continue: token } : {}) });
    yield page.items;
    token = page.continue;
  } while (token);
}

/** Owners (ReplicaSets, Jobs) of the listed pods, each kind listed only if a pod points at it. */
export async function readOwners(kube: Kube, exclude: readonly string[], pods: readonly PodLike[]): Promise<OwnerIndex> {
  const ns = namespaceSelector(exclude);
  const needed = ownerKindsNeeded(pods);
  const owners = new Map();
  if (needed.has('ReplicaSet')) ownerIndex('ReplicaSet', await listAll(kube, '/apis/apps/v1/replicasets', ns), owners);
  if (needed.has('Job')) ownerIndex('Job', await listAll(kube, '/apis/batch/v1/jobs', ns), owners);
  return owners;
}

export async function readPods(kube: Kube, exclude: readonly string[]): Promise<{ pods: PodLike[]; owners: OwnerIndex }> {
  const pods: PodLike[] = [];
  for await (const page of podPages(kube, exclude)) pods.push(...page);
  return { pods, owners: await readOwners(kube, exclude, pods) };
}

/** Reads each `namespace/name` pull secret once. Unreadable ones (RBAC, missing) are warnings. */
export async function readPullSecrets(kube: Kube, secrets: ReadonlySet<string>, redactor: Redactor, log: Logger): Promise<CredentialMap> {
  const out: CredentialMap = new Map();
  for (const key of [...secrets].sort()) {
    const [namespace, name] = key.split('/') as [string, string];
    const res = await kube.raw('GET', `/api/v1/namespaces/${namespace}/secrets/${name}`);
    if (res.status !== 200) {
      log.warn(`pull secret ${key} not read (HTTP ${res.status}); refs that need it will use the docker config or go anonymous`);
      continue;
    }
    const secret = JSON.parse(res.body) as { type?: string; data?: Record<string, string> };
    const raw = secret.data?.['.dockerconfigjson'] ?? secret.data?.['.dockercfg'];
    if (!raw || (secret.type !== 'kubernetes.io/dockerconfigjson' && secret.type !== 'kubernetes.io/dockercfg')) {
      log.warn(`pull secret ${key} is not of type kubernetes.io/dockerconfigjson; ignored`);
      continue;
    }
    redactor.add(raw);
    let text = Buffer.from(raw, 'base64').toString('utf8');
    if (secret.type === 'kubernetes.io/dockercfg') text = JSON.stringify({ auths: JSON.parse(text) as unknown });
    const { credentials, problems } = parseDockerConfig(text, redactor, `pull secret ${key}`);
    for (const p of problems) log.warn(p);
    for (const [h, c] of credentials) if (!out.has(h)) out.set(h, c);
  }
  return out;
}
