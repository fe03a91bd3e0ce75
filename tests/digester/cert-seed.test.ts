import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { KubeObject, Snapshot } from '@stateless-ci/core';
import { caBundlePatch, certSecretAbsent, encodeKey, isCertSecret } from '@stateless-ci/digester';
import { keyOf } from '@stateless-ci/core';

const t = suite('seeding the webhook certificate (pure)');

const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'digester-webhook-server-cert', namespace: 'digester-system' } };
const other: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'other', namespace: 'digester-system' } };
const snap = (before?: KubeObject): Snapshot => ({ component: 'digester', releases: [], objects: [{ key: encodeKey(keyOf(secret)), ...(before ? { before } : {}) }] });

t('only the cert Secret by name is the cert Secret', () => {
  assert.ok(isCertSecret(secret));
  assert.not.ok(isCertSecret(other));
  assert.not.ok(isCertSecret({ ...secret, kind: 'ConfigMap' }));
});

t('seeded only when the snapshot records the cert Secret as absent', () => {
  assert.ok(certSecretAbsent(snap(), [secret, other]));
  // An existing Secret belongs to the rotator, whatever it holds (the snapshot keeps no key material).
  assert.not.ok(certSecretAbsent(snap(secret), [secret]));
  // A snapshot that does not cover the Secret says nothing.
  assert.not.ok(certSecretAbsent({ component: 'digester', releases: [], objects: [] }, [secret]));
  assert.not.ok(certSecretAbsent(snap(), [other]));
});

t('caBundle: one add per webhook (add replaces an existing member), base64 of the CA PEM', () => {
  const mwc = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: 'm' }, webhooks: [{ name: 'a', clientConfig: { caBundle: 'Cg==' } }, { name: 'b', clientConfig: {} }] } as unknown as KubeObject;
  assert.equal(caBundlePatch(mwc, 'PEM\n'), [
    { op: 'add', path: '/webhooks/0/clientConfig/caBundle', value: 'UEVNCg==' },
    { op: 'add', path: '/webhooks/1/clientConfig/caBundle', value: 'UEVNCg==' },
  ]);
  assert.equal(caBundlePatch({ ...mwc, webhooks: [] } as unknown as KubeObject, 'PEM'), []);
});

t.run();
