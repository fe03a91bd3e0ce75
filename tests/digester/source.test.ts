import { createHash } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError, MediaType, RegistryError } from '@stateless-ci/core';
import { MANIFEST_LAYER_TYPES, fetchManifests, type ManifestIO } from '@stateless-ci/digester';

const t = suite('digester manifest sources');
const YAML = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: digester-system\n';
const ref = { source: 'https://github.com/google/k8s-digester/releases/download/v0.1.16/digester_manifest.yaml', version: 'v0.1.16' };
const digest = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** A fake registry serving one artifact, recording the URLs asked for. */
function registry(layerType: string, urls: string[] = []): ManifestIO {
  const blob = Buffer.from(YAML);
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, config: { mediaType: MediaType.ociEmpty, digest: digest(Buffer.from('{}')), size: 2 }, layers: [{ mediaType: layerType, digest: digest(blob), size: blob.length }] }));
  return {
    readFile: async () => assert.unreachable('no file read') as never,
    fetch: async (input) => {
      const url = String(input);
      urls.push(url);
      if (url.endsWith('/manifests/k8s-digester/manifests/v0.1.16')) return new Response(manifest, { headers: { 'content-type': MediaType.ociManifest, 'docker-content-digest': digest(manifest) } });
      if (url.endsWith(`/blobs/${digest(blob)}`)) return new Response(blob);
      return new Response('', { status: 404 });
    },
  };
}

const mirrorEnv = { STATELESS_CI_MANIFEST_MIRROR: 'oci://127.0.0.1:5000/manifests', STATELESS_CI_PLAIN_HTTP: '1' };

t('with a mirror: reads the OCI artifact <mirror>/k8s-digester:<version> over plain HTTP', async () => {
  const urls: string[] = [];
  const got = await fetchManifests(ref, mirrorEnv, 'c.yaml', registry(MediaType.manifestsYaml, urls));
  assert.is(got.text, YAML);
  assert.match(got.origin, /^oci:\/\/127\.0\.0\.1:5000\/manifests\/k8s-digester@sha256:/);
  assert.ok(urls.every((u) => u.startsWith('http://127.0.0.1:5000/v2/')), urls.join(' '));
});

t('accepts both known layer media types (core and the harness)', async () => {
  for (const type of MANIFEST_LAYER_TYPES) assert.is((await fetchManifests(ref, mirrorEnv, 'c.yaml', registry(type))).text, YAML);
});

t('an artifact without a YAML layer is a RegistryError naming what it found', async () => {
  try {
    await fetchManifests(ref, mirrorEnv, 'c.yaml', registry('application/octet-stream'));
    assert.unreachable();
  } catch (e) {
    assert.instance(e, RegistryError);
    assert.match((e as Error).message, /no layer of type application\/vnd\.stateless-ci\.manifests\.v1\+yaml \(found: application\/octet-stream\)/);
  }
});

t('without a mirror: downloads the https source', async () => {
  const io: ManifestIO = { readFile: async () => '', fetch: async (u) => (String(u) === ref.source ? new Response(YAML) : new Response('', { status: 500 })) };
  const got = await fetchManifests(ref, {}, 'c.yaml', io);
  assert.equal(got, { text: YAML, origin: ref.source });
});

t('a 404 is a ConfigError on digester.manifests.source; a network failure a RegistryError', async () => {
  const notFound: ManifestIO = { readFile: async () => '', fetch: async () => new Response('', { status: 404 }) };
  await fetchManifests(ref, {}, 'clusters/x.yaml', notFound).then(() => assert.unreachable(), (e: unknown) => {
    assert.instance(e, ConfigError);
    assert.match((e as Error).message, /clusters\/x\.yaml: digester\.manifests\.source: .* does not exist \(404\)/);
  });
  const down: ManifestIO = { readFile: async () => '', fetch: async () => Promise.reject(new Error('ENETUNREACH')) };
  await fetchManifests(ref, {}, 'c.yaml', down).then(() => assert.unreachable(), (e: unknown) => {
    assert.instance(e, RegistryError);
    assert.match((e as Error).message, /github\.com: cannot be reached .*ENETUNREACH/);
  });
});

t('a local path (or file:// URL) is read from disk; a missing one is a ConfigError', async () => {
  const read: string[] = [];
  const io: ManifestIO = { fetch: async () => assert.unreachable() as never, readFile: async (p) => (read.push(p), YAML) };
  assert.is((await fetchManifests({ source: './digester.yaml', version: 'v0.1.16' }, {}, 'c.yaml', io)).text, YAML);
  assert.is((await fetchManifests({ source: 'file:///tmp/d.yaml', version: 'v0.1.16' }, {}, 'c.yaml', io)).text, YAML);
  assert.equal(read, ['./digester.yaml', '/tmp/d.yaml']);
  const missing: ManifestIO = { fetch: async () => assert.unreachable() as never, readFile: async () => Promise.reject(Object.assign(new Error('x'), { code: 'ENOENT' })) };
  await fetchManifests({ source: './nope.yaml', version: 'v0.1.16' }, {}, 'c.yaml', missing).then(() => assert.unreachable(), (e: unknown) => assert.match((e as Error).message, /nope\.yaml cannot be read \(ENOENT\)/));
});

t.run();
