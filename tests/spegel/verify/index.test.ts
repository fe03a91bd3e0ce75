/**
 * verifyCore against an in-memory API: the same number of requests of each kind at 3 and at
 * 1,000 nodes (the cluster suite checks the same on the harness).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { KubeObject } from '@stateless-ci/core';
import { spegelNames } from '../../../packages/spegel/src/names.ts';
import { verifyCore } from '../../../packages/spegel/src/verify/index.ts';
import { daemonSet, node, pod } from '../helpers.ts';

const t = suite('spegel verify request count');
const n = spegelNames({ namespace: 'spegel', release: 'spegel' });

function fakeCluster(nodes: number) {
  const counts = { read: 0, list: 0, raw: 0 };
  const objects: Record<string, KubeObject[]> = {
    Node: Array.from({ length: nodes }, (_, i) => node(`n${i}`)) as KubeObject[],
    Pod: Array.from({ length: nodes }, (_, i) => pod(`spegel-${i}`, `n${i}`)) as unknown as KubeObject[],
    Service: [],
    EndpointSlice: [],
  };
  const kube = {
    read: async <T,>() => (counts.read++, daemonSet({ desired: nodes }) as unknown as T),
    list: async <T,>(_v: string, kind: string) => (counts.list++, (objects[kind] ?? []) as unknown as T[]),
    raw: async () => (counts.raw++, { status: 503, body: '{"message":"error trying to reach service: dial tcp 10.0.0.1:5000: connect: network is unreachable"}', headers: {} }),
  };
  return { kube, counts };
}

t('3 and 1,000 nodes: one read, four lists, 15 proxy GETs (5 sampled pods x 3)', async () => {
  const small = fakeCluster(3);
  const big = fakeCluster(1000);
  const a = await verifyCore(small.kube as never, n);
  const b = await verifyCore(big.kube as never, n);
  assert.equal(small.counts, { read: 1, list: 4, raw: 9 });
  assert.equal(big.counts, { read: 1, list: 4, raw: 15 });
  assert.is(b.checks.find((c) => c.name === 'spegel.pod-on-every-node')!.status, 'pass');
  assert.is(a.eligible.length, 3);
  assert.is(b.eligible.length, 1000);
});

t('probePods: 0 turns the HTTP checks off', async () => {
  const c = fakeCluster(10);
  const r = await verifyCore(c.kube as never, n, { probePods: 0 });
  assert.is(c.counts.raw, 0);
  assert.not.ok(r.checks.some((x) => x.name === 'spegel.readyz'));
});

t.run();
