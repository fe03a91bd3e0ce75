/**
 * Snapshot before an apply, and rollback to it: objects that existed are restored exactly (PUT of
 * the previous object, managedFields included, so ownership is as it was); objects that did not
 * exist are removed, the webhook first. Two fields belong to the digester's cert rotator and keep
 * their live values: the Secret's key material (never snapshotted, so never held or written) and
 * webhooks[].clientConfig.caBundle.
 */
import { KubeApiError, UnhealthyError, describeKey, keyOf, type ClusterContext, type KubeObject, type Snapshot } from '@stateless-ci/core';
import { collectionPath, decodeKey, encodeKey, objectPath } from './api-path.ts';
import { isCertSecret } from './names.ts';
import { waitNamespaceGone } from './uninstall.ts';
import { webhooksOf } from './webhook-scope.ts';

/** What is kept of a live object: everything but the rotator's key material. Pure. */
export function snapshotForm(live: KubeObject): KubeObject {
  const copy = structuredClone(live);
  if (isCertSecret(copy)) delete copy.data;
  return copy;
}

export async function takeSnapshot(ctx: ClusterContext, objects: readonly KubeObject[]): Promise<Snapshot> {
  const entries = await Promise.all(
    objects.map(async (o) => {
      const live = await ctx.kube.read(keyOf(o));
      return { key: encodeKey(keyOf(o)), ...(live ? { before: snapshotForm(live) } : {}) };
    }),
  );
  return { component: 'digester', releases: [], objects: entries };
}

/** Does `snapshot` hold an entry for every one of `objects` (a digester snapshot of this render)? Pure. */
export function coversAll(snapshot: Snapshot, objects: readonly KubeObject[]): boolean {
  if (snapshot.component !== 'digester' || !snapshot.objects) return false;
  const keys = new Set(snapshot.objects.map((e) => e.key));
  return objects.every((o) => keys.has(encodeKey(keyOf(o))));
}

/** The body that restores `before` on top of `live`, keeping the rotator's fields live. Pure. */
export function restoreBody(before: KubeObject, live: KubeObject | undefined): KubeObject {
  const body = structuredClone(before);
  const { uid: _u, creationTimestamp: _c, deletionTimestamp: _d, generation: _g, ...metadata } = body.metadata;
  body.metadata = { ...metadata, resourceVersion: live?.metadata.resourceVersion };
  if (!live) delete body.metadata.resourceVersion;
  delete body.status;
  if (isCertSecret(body)) {
    if (live?.data) body.data = live.data;
  }
  if (body.kind === 'MutatingWebhookConfiguration' && live) {
    const liveHooks = webhooksOf(live);
    for (const h of (body.webhooks as { name: string; clientConfig?: { caBundle?: string } }[] | undefined) ?? []) {
      const ca = liveHooks.find((l) => l.name === h.name)?.clientConfig?.caBundle;
      if (ca !== undefined) h.clientConfig = { ...h.clientConfig, caBundle: ca };
    }
  }
  return body;
}

async function put(ctx: ClusterContext, before: KubeObject): Promise<void> {
  const key = keyOf(before);
  for (let attempt = 1; ; attempt++) {
    const live = await ctx.kube.read(key);
    const body = restoreBody(before, live);
    const res = live ? await ctx.kube.raw('PUT', objectPath(key), body) : await ctx.kube.raw('POST', collectionPath(key), body);
    if (res.status < 300) return;
    if (res.status === 409 && attempt < 5) continue; // modified meanwhile (the rotator); re-read and retry
    throw new KubeApiError(res.status, 'RestoreFailed', `${describeKey(key)}: ${res.body.slice(0, 200)}`);
  }
}

/** Restores `snapshot`. Returns a one-line summary; throws UnhealthyError naming what failed. */
export async function rollbackTo(ctx: ClusterContext, snapshot: Snapshot): Promise<string> {
  const entries = snapshot.objects ?? [];
  const failures: string[] = [];
  let restored = 0;
  let removed = 0;
  for (const e of entries) {
    if (!e.before) continue;
    try {
      await put(ctx, e.before);
      restored++;
    } catch (err) {
      failures.push(`${describeKey(decodeKey(e.key))}: ${(err as Error).message}`);
    }
  }
  // Absent before: remove, in reverse apply order (the webhook first, the namespace last).
  for (const e of [...entries].reverse()) {
    if (e.before) continue;
    const key = decodeKey(e.key);
    try {
      if (await ctx.kube.delete(key)) removed++;
      // "Absent" means gone, not Terminating: a redeploy right after must not meet the namespace.
      if (key.kind === 'Namespace') await waitNamespaceGone(ctx, key.name);
    } catch (err) {
      failures.push(`${describeKey(key)}: ${(err as Error).message}`);
    }
  }
  if (failures.length > 0) throw new UnhealthyError(`digester rollback incomplete (${restored} restored, ${removed} removed); failed: ${failures.join('; ')}`);
  return `digester: rolled back (${restored} objects restored, ${removed} removed)`;
}
