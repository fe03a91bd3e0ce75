// The kube client against the harness API server: requests share TLS connections, collections
// can be listed by path without discovery, and API errors arrive as KubeApiError.
import https from 'node:https';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { KubeApiError, type KubeObject } from '@stateless-ci/core';
import { closeHarness, harnessKube, openHarness, type Fixture } from '../../harness/fixture.ts';

interface Ctx {
  f?: Fixture;
}
const t = suite<Ctx>('kube client');

t.before(async (c) => {
  c.f = await openHarness();
});
t.after(async (c) => {
  await closeHarness(c.f);
});

const kubeFor = (c: Ctx) => harnessKube(c.f!.h);

type CreateConnection = (this: https.Agent, ...args: unknown[]) => unknown;

t('30 requests of every kind use one TLS connection', async (c) => {
  const kube = kubeFor(c);
  const proto = https.Agent.prototype as unknown as { createConnection: CreateConnection };
  const original = proto.createConnection;
  let connections = 0;
  proto.createConnection = function (this: https.Agent, ...args: unknown[]) {
    connections++;
    return original.apply(this, args);
  };
  try {
    for (let i = 0; i < 10; i++) {
      await kube.read({ apiVersion: 'v1', kind: 'Namespace', name: 'default' });
      await kube.list('v1', 'Namespace');
      await kube.raw('GET', '/version');
    }
  } finally {
    proto.createConnection = original;
    kube.close();
  }
  assert.is(connections, 1);
});

t('concurrent requests open more sockets, and all of them share one parsed secure context', async (c) => {
  const kube = kubeFor(c);
  const proto = https.Agent.prototype as unknown as { createConnection: CreateConnection };
  const original = proto.createConnection;
  const contexts: unknown[] = [];
  proto.createConnection = function (this: https.Agent, ...args: unknown[]) {
    contexts.push((args[0] as { secureContext?: unknown }).secureContext);
    return original.apply(this, args);
  };
  try {
    await Promise.all(Array.from({ length: 8 }, () => kube.raw('GET', '/version')));
  } finally {
    proto.createConnection = original;
    kube.close();
  }
  assert.ok(contexts.length > 1, `8 concurrent requests opened ${contexts.length} socket(s)`);
  assert.ok(contexts[0] !== undefined, 'a secure context made once by the agent');
  assert.ok(contexts.every((x) => x === contexts[0]), 'the same one for every socket');
});

t('writeMetadataAt creates, then replaces whole; both answer with metadata only, as readMetadataAt and listMetadataAt do', async (c) => {
  const kube = kubeFor(c);
  const path = '/api/v1/namespaces/default/configmaps/kube-test-metadata-only';
  try {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-test-metadata-only', namespace: 'default', labels: { a: 'b' } }, data: { big: 'x'.repeat(10_000), old: 'dropped later' } };
    const created = await kube.writeMetadataAt(path, cm);
    assert.is(created.kind, 'PartialObjectMetadata');
    assert.is(created.metadata.labels?.a, 'b');
    assert.is((created as { data?: unknown }).data, undefined, 'no data in the answer');
    const full = await kube.read<typeof cm>({ apiVersion: 'v1', kind: 'ConfigMap', name: cm.metadata.name, namespace: 'default' });
    assert.is(full?.data.big.length, 10_000, 'the object itself was written whole');
    const meta = await kube.readMetadataAt(path);
    assert.is(meta?.kind, 'PartialObjectMetadata');
    assert.is(meta?.metadata.resourceVersion, created.metadata.resourceVersion);
    assert.is((meta as { data?: unknown }).data, undefined);
    assert.is(await kube.readMetadataAt('/api/v1/namespaces/default/configmaps/kube-test-absent'), undefined);
    const listed = await kube.listMetadataAt('/api/v1/namespaces/default/configmaps?fieldSelector=metadata.name%3Dkube-test-metadata-only');
    assert.equal(listed.map((o) => [o.metadata.name, o.metadata.resourceVersion, (o as { data?: unknown }).data]), [[cm.metadata.name, created.metadata.resourceVersion, undefined]]);
    assert.equal(await kube.listMetadataAt('/api/v1/namespaces/default/configmaps?fieldSelector=metadata.name%3Dkube-test-absent'), []);
    // Present: replaced, so what the new object no longer has is gone (an apply would keep fields another manager owns).
    const counts = { ...kube.counts };
    const replaced = await kube.writeMetadataAt(path, { ...cm, metadata: { ...cm.metadata, labels: { a: 'c' } }, data: { big: 'y' } });
    assert.is(replaced.metadata.labels?.a, 'c');
    assert.is.not(replaced.metadata.resourceVersion, created.metadata.resourceVersion);
    const after = await kube.read<{ data: Record<string, string> } & KubeObject>({ apiVersion: 'v1', kind: 'ConfigMap', name: cm.metadata.name, namespace: 'default' });
    assert.equal(after?.data, { big: 'y' });
    assert.equal([kube.counts.create - counts.create, kube.counts.update - counts.update], [1, 1], 'a create refused as existing, then one replace');
    const bad = await kube.writeMetadataAt('/api/v1/namespaces/default/configmaps/kube-test-bad', { ...cm, metadata: { ...cm.metadata, name: 'Not_Valid' } }).then(() => undefined, (e: unknown) => e);
    assert.instance(bad, KubeApiError);
  } finally {
    await kube.delete({ apiVersion: 'v1', kind: 'ConfigMap', name: 'kube-test-metadata-only', namespace: 'default' });
    kube.close();
  }
});

t('listAt lists by path; a missing resource is a KubeApiError 404', async (c) => {
  const kube = kubeFor(c);
  try {
    const items = await kube.listAt('/api/v1/namespaces');
    assert.ok(items.some((n) => n.metadata.name === 'default'));
    const err = await kube.listAt('/apis/nothing.example.com/v1/things').then(() => undefined, (e: unknown) => e);
    assert.instance(err, KubeApiError);
    assert.is((err as KubeApiError).code, 404);
  } finally {
    kube.close();
  }
});

t.run();
