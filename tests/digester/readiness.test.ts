import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { KubeObject } from '@stateless-ci/core';
import { caBundleVerdict, endpointsVerdict, rolloutVerdict } from '@stateless-ci/digester';

const t = suite('digester readiness verdicts');
const dep = (status: Record<string, unknown>, generation = 2): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', generation }, spec: { replicas: 3 }, status });
const available = { type: 'Available', status: 'True' };
const pem = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString('base64');
const mwc = (caBundle?: string): KubeObject => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: 'm' }, webhooks: [{ name: 'h', clientConfig: { caBundle } }] });

t('rollout: ready only when observed, updated, available and no old replicas remain', () => {
  assert.ok(rolloutVerdict(dep({ observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3, conditions: [available] })).ok);
  assert.match(rolloutVerdict(dep({ observedGeneration: 1 })).detail, /not observed/);
  assert.match(rolloutVerdict(dep({ observedGeneration: 2, updatedReplicas: 1 })).detail, /1\/3 replicas updated/);
  assert.match(rolloutVerdict(dep({ observedGeneration: 2, updatedReplicas: 3, availableReplicas: 2 })).detail, /2\/3 replicas available/);
  assert.match(rolloutVerdict(dep({ observedGeneration: 2, replicas: 4, updatedReplicas: 3, availableReplicas: 3, conditions: [available] })).detail, /1 old replicas/);
  assert.match(rolloutVerdict(dep({ observedGeneration: 2, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] })).detail, /stuck: ProgressDeadlineExceeded/);
  assert.match(rolloutVerdict(undefined).detail, /does not exist/);
});

t('caBundle: empty, placeholder and non-PEM fail; a PEM passes; a mismatch with the Secret fails', () => {
  assert.match(caBundleVerdict(mwc()).detail, /empty/);
  assert.match(caBundleVerdict(mwc('Cg==')).detail, /placeholder/);
  assert.match(caBundleVerdict(mwc('bm90IGEgY2VydA==')).detail, /does not decode/);
  assert.ok(caBundleVerdict(mwc(pem)).ok);
  assert.ok(caBundleVerdict(mwc(pem), pem).ok);
  const other = Buffer.from('-----BEGIN CERTIFICATE-----\nOTHER\n-----END CERTIFICATE-----\n').toString('base64');
  assert.match(caBundleVerdict(mwc(pem), other).detail, /differs from the CA/);
  assert.not.ok(caBundleVerdict(undefined).ok);
});

t('endpoints: ready once a slice lists a ready endpoint', () => {
  const slice = (ready: boolean[]) => ({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 's' }, endpoints: ready.map((r) => ({ conditions: { ready: r } })) });
  assert.is(endpointsVerdict([], 'svc').ok, false);
  assert.is(endpointsVerdict([slice([false])], 'svc').ok, false);
  assert.equal(endpointsVerdict([slice([false, true]), slice([true])], 'svc'), { ok: true, detail: 'svc has 2 ready endpoint(s)' });
});

t.run();
