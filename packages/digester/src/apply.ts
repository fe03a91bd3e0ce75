/**
 * Server-side apply of the rendered objects in three phases (see `applyPhases`), as field manager `stateless-ci`. The
 * rendered webhook carries no caBundle, so the apply never owns it and never resets what the
 * digester's cert rotator wrote. When a webhook configuration installed by someone else (kubectl
 * apply of upstream) is taken over, fields other managers still own (e.g. upstream's opt-in
 * matchLabels) would survive a plain apply; `adoptWebhook` replaces the scope fields outright.
 */
import { KubeApiError, UnhealthyError, describeKey, keyOf, realRetryIO, withRetry, type ApplyResult, type ClusterContext, type KubeObject, type Snapshot } from '@stateless-ci/core';
import { encodeKey } from './api-path.ts';
import { seedCaBundle, seedSecret } from './cert-seed.ts';
import { isCertSecret } from './names.ts';
import type { WebhookCertificates } from './webhook-cert.ts';
import { webhooksOf } from './webhook-scope.ts';

/** The webhook fields that decide what gets mutated; they must be exactly ours. */
const SCOPE_FIELDS = ['namespaceSelector', 'objectSelector', 'rules', 'failurePolicy', 'timeoutSeconds', 'matchPolicy', 'matchConditions'] as const;

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** JSON-patch operations that make the live webhooks' scope fields equal the rendered ones. Pure. */
export function scopePatch(live: KubeObject, rendered: KubeObject): { op: 'add' | 'replace' | 'remove'; path: string; value?: unknown }[] {
  const ops: { op: 'add' | 'replace' | 'remove'; path: string; value?: unknown }[] = [];
  const want = webhooksOf(rendered) as unknown as Record<string, unknown>[];
  webhooksOf(live).forEach((lh, i) => {
    const wh = want.find((w) => w.name === lh.name);
    if (!wh) return;
    const l = lh as unknown as Record<string, unknown>;
    for (const f of SCOPE_FIELDS) {
      if (same(l[f], wh[f])) continue;
      if (wh[f] === undefined) ops.push({ op: 'remove', path: `/webhooks/${i}/${f}` });
      else ops.push({ op: l[f] === undefined ? 'add' : 'replace', path: `/webhooks/${i}/${f}`, value: wh[f] });
    }
  });
  return ops;
}

async function adoptWebhook(ctx: ClusterContext, applied: KubeObject, rendered: KubeObject): Promise<boolean> {
  const ops = scopePatch(applied, rendered);
  if (ops.length === 0) return false;
  ctx.log.warn(`${rendered.metadata.name}: fields owned by another manager widened the scope (${ops.map((o) => o.path).join(', ')}); replacing them`);
  const res = await ctx.kube.raw('PATCH', `/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/${rendered.metadata.name}?fieldManager=stateless-ci`, JSON.stringify(ops), {
    'Content-Type': 'application/json-patch+json',
  });
  if (res.status >= 300) throw new KubeApiError(res.status, 'PatchFailed', `cannot correct the scope of ${rendered.metadata.name}: ${res.body.slice(0, 200)}`);
  return true;
}

/**
 * Apply phases: namespaces first, the webhook configurations last (so the webhook is never called
 * before what serves it exists), everything in between at once. With `certSecretFirst` (a seeded
 * install) the cert Secret gets a phase of its own before the rest: it must hold its certificates
 * before the Deployment's pods mount it. Pure.
 */
export function applyPhases(objects: readonly KubeObject[], o: { readonly certSecretFirst?: boolean } = {}): KubeObject[][] {
  const isNs = (x: KubeObject) => x.kind === 'Namespace';
  const isWebhook = (x: KubeObject) => x.kind === 'MutatingWebhookConfiguration' || x.kind === 'ValidatingWebhookConfiguration';
  const isCert = (x: KubeObject) => o.certSecretFirst === true && isCertSecret(x);
  return [objects.filter(isNs), objects.filter(isCert), objects.filter((x) => !isNs(x) && !isWebhook(x) && !isCert(x)), objects.filter(isWebhook)].filter((p) => p.length > 0);
}

/**
 * `snapshot`, when given, is the state just before (taken under the deploy lock): the objects are
 * not read again. Without it each object is read before it is applied. `seed`, on an install whose
 * cert Secret is absent, is the certificates to put in it (and the CA into the webhook) as they
 * are created: see webhook-cert.ts.
 */
export async function applyObjects(ctx: ClusterContext, objects: readonly KubeObject[], snapshot?: Snapshot, seed?: Promise<WebhookCertificates>): Promise<ApplyResult> {
  let created = 0;
  let updated = 0;
  let unchanged = 0;
  const known = new Map(snapshot?.objects?.map((e) => [e.key, e.before]));
  const applyOne = async (o: KubeObject) => {
    const key = keyOf(o);
    const before = known.has(encodeKey(key)) ? known.get(encodeKey(key)) : await ctx.kube.read(key);
    if (before?.metadata.deletionTimestamp) throw new UnhealthyError(`${describeKey(key)} is being deleted; wait until it is gone (kubectl get ${o.kind.toLowerCase()} ${o.metadata.name}) and apply again`);
    const after = await withRetry(() => ctx.kube.apply(o), undefined, { ...realRetryIO, onRetry: (n, ms, why) => ctx.log.debug(`apply ${describeKey(key)}: retry ${n} in ${ms} ms (${why})`) });
    let changed = !before || before.metadata.resourceVersion !== after.metadata.resourceVersion;
    if (o.kind === 'MutatingWebhookConfiguration' && (await adoptWebhook(ctx, after, o))) changed = true;
    if (seed && !before && isCertSecret(o)) await seedSecret(ctx, o, await seed);
    if (seed && !before && o.kind === 'MutatingWebhookConfiguration') await seedCaBundle(ctx, after, (await seed)['ca.crt']);
    if (!before) created++;
    else if (changed) updated++;
    else unchanged++;
    ctx.log.debug(`${describeKey(key)}: ${!before ? 'created' : changed ? 'updated' : 'unchanged'}`);
  };
  seed?.catch(() => undefined); // awaited at the cert Secret; a failure surfaces there
  for (const phase of applyPhases(objects, { certSecretFirst: seed !== undefined })) await Promise.all(phase.map(applyOne));
  const changed = created + updated > 0;
  return { changed, summary: `digester: ${objects.length} objects applied (${created} created, ${updated} updated, ${unchanged} unchanged)${seed ? '; webhook certificate issued (CA digester-ca, 10 years; the rotator renews it)' : ''}` };
}
