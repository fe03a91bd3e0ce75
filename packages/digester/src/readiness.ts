/** Pure readiness verdicts for the Deployment and the webhook's caBundle, shared by wait and verify. */
import type { KubeObject } from '@stateless-ci/core';
import { PLACEHOLDER_CA_BUNDLE } from './names.ts';
import { webhooksOf } from './webhook-scope.ts';

export interface Verdict {
  readonly ok: boolean;
  readonly detail: string;
}

interface DeploymentLike {
  metadata: { generation?: number };
  spec?: { replicas?: number };
  status?: { observedGeneration?: number; replicas?: number; updatedReplicas?: number; availableReplicas?: number; conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}

export function rolloutVerdict(d: KubeObject | undefined): Verdict {
  if (!d) return { ok: false, detail: 'the Deployment does not exist' };
  const x = d as unknown as DeploymentLike;
  const want = x.spec?.replicas ?? 1;
  const s = x.status ?? {};
  const available = s.conditions?.find((c) => c.type === 'Available');
  const progressing = s.conditions?.find((c) => c.type === 'Progressing');
  if ((s.observedGeneration ?? 0) < (x.metadata.generation ?? 0)) return { ok: false, detail: 'the controller has not observed the latest spec yet' };
  if (progressing?.status === 'False') return { ok: false, detail: `rollout stuck: ${progressing.reason ?? ''} ${progressing.message ?? ''}`.trim() };
  if ((s.updatedReplicas ?? 0) < want) return { ok: false, detail: `${s.updatedReplicas ?? 0}/${want} replicas updated` };
  if ((s.availableReplicas ?? 0) < want) return { ok: false, detail: `${s.availableReplicas ?? 0}/${want} replicas available` };
  if ((s.replicas ?? 0) > want) return { ok: false, detail: `${(s.replicas ?? 0) - want} old replicas still terminating` };
  if (available?.status !== 'True') return { ok: false, detail: `condition Available is ${available?.status ?? 'missing'}` };
  return { ok: true, detail: `${s.availableReplicas}/${want} replicas available` };
}

/** Decodes a caBundle; returns the PEM text or undefined when it is not a certificate. */
export function caBundlePem(caBundle: string | undefined): string | undefined {
  if (!caBundle) return undefined;
  const pem = Buffer.from(caBundle, 'base64').toString('utf8');
  return /-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(pem) ? pem : undefined;
}

export function caBundleVerdict(mwc: KubeObject | undefined, secretCa?: string): Verdict {
  if (!mwc) return { ok: false, detail: 'the MutatingWebhookConfiguration does not exist' };
  const hooks = webhooksOf(mwc);
  if (hooks.length === 0) return { ok: false, detail: 'the webhook configuration has no webhooks' };
  for (const h of hooks) {
    const ca = h.clientConfig?.caBundle;
    if (!ca) return { ok: false, detail: `${h.name}: caBundle is empty; the digester has not written its CA yet (is the Deployment running and allowed to patch ${mwc.metadata.name}?)` };
    if (ca === PLACEHOLDER_CA_BUNDLE) return { ok: false, detail: `${h.name}: caBundle is still the upstream placeholder ${PLACEHOLDER_CA_BUNDLE}` };
    const pem = caBundlePem(ca);
    if (!pem) return { ok: false, detail: `${h.name}: caBundle does not decode to a PEM certificate` };
    if (secretCa !== undefined && caBundlePem(secretCa)?.trim() !== pem.trim()) return { ok: false, detail: `${h.name}: caBundle differs from the CA in the digester's Secret (the rotator has not re-patched it yet)` };
  }
  return { ok: true, detail: secretCa !== undefined ? 'caBundle is the CA from the digester Secret' : 'caBundle holds a PEM certificate' };
}

export interface EndpointSliceLike extends KubeObject {
  endpoints?: { conditions?: { ready?: boolean } }[];
}

/** The webhook Service is callable once its EndpointSlices list a ready endpoint. */
export function endpointsVerdict(slices: readonly EndpointSliceLike[], service: string): Verdict {
  const ready = slices.flatMap((s) => s.endpoints ?? []).filter((e) => e.conditions?.ready !== false).length;
  return ready > 0
    ? { ok: true, detail: `${service} has ${ready} ready endpoint(s)` }
    : { ok: false, detail: `${service} has no ready endpoints; the API server cannot reach the webhook and pods pass unpinned` };
}
