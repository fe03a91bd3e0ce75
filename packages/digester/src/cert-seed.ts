/**
 * Puts the certificates this tool issued (webhook-cert.ts) into a freshly created cert Secret and
 * the CA into the freshly created webhook's caBundle. Written as field manager
 * `stateless-ci-cert-seed`, with update (not apply) semantics: our server-side apply as
 * `stateless-ci` never owns these fields, so a later apply, which renders neither, never removes
 * them, and the rotator's own updates take them over when it rotates. Only ever on objects this
 * run created; an existing Secret is the rotator's, whatever it holds.
 */
import { KubeApiError, keyOf, type ClusterContext, type KubeObject, type Snapshot } from '@stateless-ci/core';
import { encodeKey } from './api-path.ts';
import { isCertSecret } from './names.ts';
import { secretData, type WebhookCertificates } from './webhook-cert.ts';
import { webhooksOf } from './webhook-scope.ts';

export const SEED_FIELD_MANAGER = 'stateless-ci-cert-seed';

/** Does the snapshot record the cert Secret as absent (an install, so ours to seed)? Pure. */
export function certSecretAbsent(snapshot: Snapshot, objects: readonly KubeObject[]): boolean {
  const secret = objects.find(isCertSecret);
  if (!secret) return false;
  const key = encodeKey(keyOf(secret));
  const entry = snapshot.objects?.find((e) => e.key === key);
  return entry !== undefined && entry.before === undefined;
}

/** JSON-patch operations setting every webhook's caBundle to this CA. Pure. */
export function caBundlePatch(mwc: KubeObject, caPem: string): { op: 'add'; path: string; value: string }[] {
  const value = Buffer.from(caPem, 'utf8').toString('base64');
  // "add" on an existing member replaces it (RFC 6902 4.1), so one op serves both cases.
  return webhooksOf(mwc).map((_h, i) => ({ op: 'add', path: `/webhooks/${i}/clientConfig/caBundle`, value }));
}

async function patch(ctx: ClusterContext, path: string, body: unknown, contentType: string, what: string): Promise<void> {
  const res = await ctx.kube.raw('PATCH', `${path}?fieldManager=${SEED_FIELD_MANAGER}`, JSON.stringify(body), { 'Content-Type': contentType });
  // The answer to a Secret patch holds the keys: only its status code goes into the error.
  if (res.status >= 300) throw new KubeApiError(res.status, 'SeedFailed', `could not write ${what} (HTTP ${res.status}); the digester's rotator will generate its own at start, or delete the Secret and apply again`);
}

export async function seedSecret(ctx: ClusterContext, secret: KubeObject, certs: WebhookCertificates): Promise<void> {
  await patch(ctx, `/api/v1/namespaces/${secret.metadata.namespace}/secrets/${secret.metadata.name}`, { data: secretData(certs) }, 'application/merge-patch+json', `the webhook certificate into Secret ${secret.metadata.namespace}/${secret.metadata.name}`);
}

export async function seedCaBundle(ctx: ClusterContext, mwc: KubeObject, caPem: string): Promise<void> {
  const ops = caBundlePatch(mwc, caPem);
  if (ops.length === 0) return;
  await patch(ctx, `/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/${mwc.metadata.name}`, ops, 'application/json-patch+json', `the CA into ${mwc.metadata.name}'s caBundle`);
}
