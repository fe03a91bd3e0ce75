import { gzipSync } from 'node:zlib';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeRelease, usesSecretDriver, type KubeObject } from '@stateless-ci/core';

const t = suite('helm release records (decoding)');

/** A Secret as the API returns it: data base64, holding helm's base64(gzip(JSON)). */
function record(release: unknown, gzip = true): KubeObject {
  const json = Buffer.from(JSON.stringify(release));
  const helmPayload = (gzip ? gzipSync(json) : json).toString('base64');
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sh.helm.release.v1.demo.v3', namespace: 'ns' }, data: { release: Buffer.from(helmPayload).toString('base64') } };
}

const release = { name: 'demo', namespace: 'ns', version: 3, info: { status: 'deployed', description: 'Upgrade complete' }, chart: { metadata: { name: 'spegel', version: '0.7.4', appVersion: 'v0.7.4' } }, config: { a: 1 }, manifest: 'kind: X' };

t('decodes gzip-compressed and plain payloads', () => {
  assert.equal(decodeRelease(record(release)), release);
  assert.equal(decodeRelease(record(release, false)), release);
});

t('a Secret that is not a helm record is named in the error', () => {
  assert.throws(() => decodeRelease({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', namespace: 'ns' }, data: {} }), /Secret ns\/x has no data.release/);
  assert.throws(() => decodeRelease({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'y', namespace: 'ns' }, data: { release: Buffer.from('bm90IGpzb24=').toString('base64') } }), /Secret ns\/y: data.release is not a helm release record/);
});

t('only the secret driver is read directly', () => {
  assert.ok(usesSecretDriver({}));
  assert.ok(usesSecretDriver({ HELM_DRIVER: 'secrets' }));
  assert.not.ok(usesSecretDriver({ HELM_DRIVER: 'configmap' }));
  assert.not.ok(usesSecretDriver({ HELM_DRIVER: 'sql' }));
});

t.run();
