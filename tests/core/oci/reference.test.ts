import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatReference, parseReference, refKey } from '@stateless-ci/core';

const D = `sha256:${'a'.repeat(64)}`;

test('Docker Hub defaults', () => {
  assert.equal(parseReference('nginx'), { registry: 'registry-1.docker.io', repository: 'library/nginx', tag: 'latest', digest: undefined });
  assert.equal(parseReference('docker.io/bitnami/redis:7'), { registry: 'registry-1.docker.io', repository: 'bitnami/redis', tag: '7', digest: undefined });
});

test('registries with ports, tags and digests (the digester writes name:tag@digest)', () => {
  assert.equal(parseReference(`127.0.0.1:5000/team/app:latest@${D}`), { registry: '127.0.0.1:5000', repository: 'team/app', tag: 'latest', digest: D });
  assert.equal(parseReference(`ghcr.io/actions/actions-runner@${D}`), { registry: 'ghcr.io', repository: 'actions/actions-runner', tag: undefined, digest: D });
  assert.equal(parseReference('oci://ghcr.io/spegel-org/helm-charts/spegel:0.7.4').repository, 'spegel-org/helm-charts/spegel');
  assert.is(parseReference('localhost/x:1').registry, 'localhost');
});

test('round trip and dedup key', () => {
  const r = parseReference(`ghcr.io/a/b:1@${D}`);
  assert.is(formatReference(r), `ghcr.io/a/b:1@${D}`);
  assert.is(refKey(r), 'ghcr.io/a/b:1');
  assert.is(refKey(parseReference(`ghcr.io/a/b@${D}`)), `ghcr.io/a/b@${D}`);
});

test('rejects malformed references', () => {
  assert.throws(() => parseReference('ghcr.io/a/b@sha256:xyz'), /invalid digest/);
  assert.throws(() => parseReference('ghcr.io/A/B:1'), /invalid repository/);
});

test.run();
