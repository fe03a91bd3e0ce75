// The kube client against the harness API server: requests share TLS connections, collections
// can be listed by path without discovery, and API errors arrive as KubeApiError.
import https from 'node:https';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { KubeApiError } from '@stateless-ci/core';
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
