import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { KubeObject } from '@stateless-ci/core';
import { decodeKey, encodeKey, objectPath, collectionPath, restoreBody, scopePatch, snapshotForm } from '@stateless-ci/digester';

const t = suite('digester snapshot, restore and scope patch (pure)');
const secret = (data?: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'digester-webhook-server-cert', namespace: 'd', resourceVersion: '1', uid: 'u' }, ...(data ? { data } : {}) });
const mwc = (ca: string | undefined, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'MutatingWebhookConfiguration',
  metadata: { name: 'digester-mutating-webhook-configuration', resourceVersion: '7', uid: 'u', managedFields: [{ manager: 'stateless-ci' }] },
  webhooks: [{ name: 'h', clientConfig: { service: { name: 's', namespace: 'd' }, ...(ca ? { caBundle: ca } : {}) }, ...extra }],
});

t('snapshots keep no key material of the cert Secret', () => {
  assert.is(snapshotForm(secret({ 'tls.key': 'eA==' })).data, undefined);
  const other = { ...secret({ a: 'b' }), metadata: { name: 'other', namespace: 'd' } };
  assert.equal(snapshotForm(other).data, { a: 'b' });
});

t('restore keeps the rotator-owned fields live: Secret data and caBundle', () => {
  const body = restoreBody(secret(), secret({ 'ca.crt': 'Y2E=' }));
  assert.equal(body.data, { 'ca.crt': 'Y2E=' });
  const m = restoreBody(mwc('T0xE', { timeoutSeconds: 15 }), mwc('TkVX', { timeoutSeconds: 3 }));
  assert.equal((m.webhooks as { clientConfig: unknown; timeoutSeconds: number }[])[0], { name: 'h', clientConfig: { service: { name: 's', namespace: 'd' }, caBundle: 'TkVX' }, timeoutSeconds: 15 });
  assert.equal(m.metadata.managedFields, [{ manager: 'stateless-ci' }], 'ownership is restored too');
  assert.is(m.metadata.uid, undefined);
});

t('restore of a deleted object creates it (no resourceVersion)', () => {
  assert.is(restoreBody(secret(), undefined).metadata.resourceVersion, undefined);
  assert.is(restoreBody(secret(), { ...secret(), metadata: { ...secret().metadata, resourceVersion: '9' } }).metadata.resourceVersion, '9');
});

t('keys and REST paths', () => {
  const k = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'd', name: 'x' };
  assert.equal(decodeKey(encodeKey(k)), k);
  assert.is(objectPath(k), '/apis/apps/v1/namespaces/d/deployments/x');
  assert.is(collectionPath({ apiVersion: 'v1', kind: 'Namespace' }), '/api/v1/namespaces');
  assert.is(objectPath({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', name: 'm' }), '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/m');
  assert.throws(() => collectionPath({ apiVersion: 'v1', kind: 'Pod' }), /no REST path known for kind Pod/);
});

t('scopePatch replaces foreign scope fields and removes extra ones', () => {
  const rendered = mwc(undefined, { namespaceSelector: { matchExpressions: [] }, rules: [1], failurePolicy: 'Ignore' });
  const live = mwc('Q0E=', { namespaceSelector: { matchLabels: { a: 'b' } }, rules: [1], failurePolicy: 'Ignore', matchConditions: [{ name: 'x' }] });
  assert.equal(scopePatch(live, rendered), [
    { op: 'replace', path: '/webhooks/0/namespaceSelector', value: { matchExpressions: [] } },
    { op: 'remove', path: '/webhooks/0/matchConditions' },
  ]);
  assert.equal(scopePatch(rendered, rendered), []);
});

t.run();
