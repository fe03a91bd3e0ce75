/** The Deployment is Available, the Service has ready endpoints, and the caBundle is the real CA. */
import { fail, pass, warn, type Check, type ClusterContext } from '@stateless-ci/core';
import { CERT_SECRET, DEPLOYMENT, SERVICE } from '../names.ts';
import { caBundleVerdict, endpointsVerdict, rolloutVerdict, type EndpointSliceLike } from '../readiness.ts';
import { readWebhook } from './structure.ts';

export async function verifyRollout(ctx: ClusterContext): Promise<Check[]> {
  const ns = ctx.cluster.digester.namespace;
  const checks: Check[] = [];
  const d = await ctx.kube.read({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: DEPLOYMENT });
  const r = rolloutVerdict(d);
  checks.push(r.ok ? pass('digester.deployment-available', `${ns}/${DEPLOYMENT}: ${r.detail}`) : fail('digester.deployment-available', `${ns}/${DEPLOYMENT}: ${r.detail}`, [DEPLOYMENT]));

  const slices = await ctx.kube.list<EndpointSliceLike>('discovery.k8s.io/v1', 'EndpointSlice', { namespace: ns, labelSelector: `kubernetes.io/service-name=${SERVICE}` });
  const e = endpointsVerdict(slices, SERVICE);
  checks.push(e.ok ? pass('digester.service-endpoints', e.detail) : fail('digester.service-endpoints', e.detail));

  // Only ca.crt is read from the Secret; the keys next to it are never used or printed.
  const secret = await ctx.kube.read({ apiVersion: 'v1', kind: 'Secret', namespace: ns, name: CERT_SECRET });
  const secretCa = (secret?.data as Record<string, string> | undefined)?.['ca.crt'];
  const mwc = await readWebhook(ctx);
  const v = caBundleVerdict(mwc, secretCa);
  if (v.ok) checks.push(pass('digester.ca-bundle', v.detail));
  else if (mwc && secretCa === undefined && caBundleVerdict(mwc).ok) checks.push(warn('digester.ca-bundle', `caBundle holds a certificate, but Secret ${ns}/${CERT_SECRET} has no ca.crt to compare it with`));
  else checks.push(fail('digester.ca-bundle', v.detail));
  return checks;
}
