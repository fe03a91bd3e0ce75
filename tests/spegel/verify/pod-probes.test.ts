import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { metricsCheck, peersCheck, probePods, readyzCheck, samplePods, type PodProbe } from '../../../packages/spegel/src/verify/pod-probes.ts';
import type { ProxyOutcome } from '../../../packages/spegel/src/verify/proxy.ts';
import { pod } from '../helpers.ts';

const t = suite('spegel pod probes');
const ok = (body = ''): ProxyOutcome => ({ kind: 'ok', body });
const unreachable: ProxyOutcome = { kind: 'unreachable', detail: 'dial tcp 10.0.0.1:5000: connect: network is unreachable' };
const probe = (node: string, p: Partial<PodProbe> = {}): PodProbe => ({ node, pod: `spegel-${node}`, readyz: ok(), metrics: ok(), metadata: ok(JSON.stringify({ libp2p: { id: `id-${node}` } })), ...p });
const metrics = (hits: number, last: number) => `spegel_mirror_requests_total{cache="hit",registry="docker.io"} ${hits}\nspegel_mirror_requests_total{cache="miss",registry="docker.io"} 1\nspegel_mirror_last_success_timestamp_seconds ${last}\nspegel_advertised_image_digests{registry="docker.io"} 4\n`;

t('samplePods: at most `limit` Ready pods, spread over the node order, deterministic', () => {
  const pods = Array.from({ length: 100 }, (_, i) => pod(`p${i}`, `n${String(i).padStart(3, '0')}`, { ready: i !== 0 }));
  const s = samplePods(pods, 5);
  assert.equal(s.map((p) => p.spec.nodeName), ['n001', 'n020', 'n040', 'n060', 'n080']);
  assert.is(samplePods(pods.slice(0, 3), 5).length, 2);
});

t('probePods asks readyz on the registry port and metrics/metadata on the metrics port, through pods/proxy', async () => {
  const paths: string[] = [];
  const kube = { raw: async (_m: 'GET', p: string) => (paths.push(p), { status: 200, body: '{}' }) };
  const r = await probePods(kube, 'spegel', [pod('spegel-x', 'a')]);
  assert.equal(paths.sort(), ['/api/v1/namespaces/spegel/pods/spegel-x:5000/proxy/readyz', '/api/v1/namespaces/spegel/pods/spegel-x:9090/proxy/debug/web/metadata', '/api/v1/namespaces/spegel/pods/spegel-x:9090/proxy/metrics']);
  assert.is(r[0]!.node, 'a');
});

t('probePods turns a thrown network error into an unreachable outcome', async () => {
  const kube = { raw: async () => Promise.reject(Object.assign(new Error('connect ENETUNREACH'), { code: 'ENETUNREACH' })) };
  const [r] = await probePods(kube, 'spegel', [pod('spegel-x', 'a')]);
  assert.is(r!.readyz.kind, 'unreachable');
});

t('readyz: all 200 passes; a 500 fails naming the node; all unreachable warns with the network reason', () => {
  assert.is(readyzCheck([probe('a'), probe('b')]).status, 'pass');
  const f = readyzCheck([probe('a'), probe('b', { readyz: { kind: 'http-error', status: 500, detail: 'not ready' } })]);
  assert.is(f.status, 'fail');
  assert.equal(f.failing, ['b']);
  const w = readyzCheck([probe('a', { readyz: unreachable }), probe('b', { readyz: unreachable })]);
  assert.is(w.status, 'warn');
  assert.match(w.detail, /^the API server cannot reach the Spegel pods \(dial tcp 10.0.0.1:5000: connect: network is unreachable\)/);
  assert.is(readyzCheck([]).status, 'warn');
});

t('metrics: hits and a last success pass with numbers; none yet warns with the next step; no spegel_* fails', () => {
  const p = metricsCheck([probe('a', { metrics: ok(metrics(3, 1000)) }), probe('b', { metrics: ok(metrics(2, 1100)) })], 1200);
  assert.is(p.status, 'pass');
  assert.equal(p.metrics, { mirrorHits: 5, mirrorMisses: 2, advertisedDigests: 8, lastMirrorSuccessAgeSeconds: 100 });
  const w = metricsCheck([probe('a', { metrics: ok(metrics(0, 0)) })], 1200);
  assert.is(w.status, 'warn');
  assert.match(w.detail, /imagePullPolicy: Always on two nodes/);
  assert.is(metricsCheck([probe('a', { metrics: ok('go_goroutines 5\n') })], 1).status, 'fail');
  assert.is(metricsCheck([probe('a', { metrics: unreachable })], 1).status, 'warn');
});

t('peers: distinct IDs pass; a shared identity or a missing ID fails; a single discoverable peer warns', () => {
  assert.is(peersCheck([probe('a'), probe('b')], 3).status, 'pass');
  const dup = peersCheck([probe('a'), probe('b', { metadata: ok(JSON.stringify({ libp2p: { id: 'id-a' } })) })], 3);
  assert.is(dup.status, 'fail');
  assert.equal(dup.failing, ['a', 'b']);
  assert.is(peersCheck([probe('a', { metadata: ok('{}') })], 3).status, 'fail');
  assert.is(peersCheck([probe('a')], 1).status, 'warn');
});

t.run();
