// Benchmark: `spegel verify` on BENCH_NODES kwok nodes (default 1,000) against a naive baseline
// that asks for each node's Spegel pod separately (one pod LIST per node). Records wall time and
// API requests (client-side Kube.counts and the API server's apiserver_request_total). Run inside
// a netns holding only lo, with the Spegel chart available (STATELESS_CI_UPSTREAM_SPEGEL_DIR):
//   ip netns exec <ns> node --import tsx bench/spegel-verify.mts
// (attaches to STATELESS_CI_HARNESS_DIR when set, else brings a harness up and down itself).
// Prints the numbers and writes bench/results/spegel-verify.json; no assertions.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Kube } from '@stateless-ci/core';
import { createSpegelComponent, spegelNames } from '@stateless-ci/spegel';
import { parsePrometheus } from '../packages/spegel/src/verify/prometheus.ts';
import { attach, up, type Harness } from '../tests/harness/src/index.ts';
import { ensureChart, spegelContext } from '../tests/spegel/cluster-fixture.ts';
import { standInForCleanupWait } from '../tests/harness/src/stand-ins/cleanup-wait.ts';

const NODES = Number(process.env.BENCH_NODES ?? 1000);
const ROUNDS = 3;
const NS = `bench-spegel-${process.pid}`;

const owned = !process.env.STATELESS_CI_HARNESS_DIR;
const h: Harness = owned ? await up({ profile: 'theia-prod', nodes: 3 }) : await attach(process.env.STATELESS_CI_HARNESS_DIR!);
if (owned) process.env.STATELESS_CI_HARNESS_DIR = h.dir;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function serverRequests(kube: Kube): Promise<number> {
  const res = await kube.raw('GET', '/metrics', undefined, { Accept: 'text/plain' });
  return parsePrometheus(res.body)
    .filter((s) => s.name === 'apiserver_request_total' && ['LIST', 'GET', 'WATCH', 'CONNECT'].includes(s.labels.verb ?? '') && ['daemonsets', 'nodes', 'pods', 'services', 'endpointslices'].includes(s.labels.resource ?? ''))
    .reduce((a, s) => a + s.value, 0);
}

const spegel = createSpegelComponent({ wait: { timeoutMs: 900_000 } });
await ensureChart(h);
const s = await spegelContext(h, NS);
try {
  let t0 = Date.now();
  await h.setNodeCount(NODES);
  process.stderr.write(`${NODES} nodes Ready in ${Date.now() - t0} ms\n`);
  t0 = Date.now();
  await spegel.apply(s.ctx);
  await spegel.wait(s.ctx);
  const installMs = Date.now() - t0;
  process.stderr.write(`spegel Ready on ${NODES} nodes in ${installMs} ms\n`);

  const n = spegelNames(s.cluster.spegel);
  const rounds: { verify: { ms: number; client: Kube['counts']; server: number; failed: string[] }; baseline: { ms: number; client: Kube['counts']; server: number } }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const metrics = new Kube(s.ctx.kube.kc);
    let kube = new Kube(s.ctx.kube.kc);
    let before = await serverRequests(metrics);
    t0 = Date.now();
    const checks = await spegel.verify({ ...s.ctx, kube });
    const verify = { ms: Date.now() - t0, client: { ...kube.counts }, server: (await serverRequests(metrics)) - before, failed: checks.filter((c) => c.status === 'fail').map((c) => c.name) };

    kube = new Kube(s.ctx.kube.kc);
    before = await serverRequests(metrics);
    t0 = Date.now();
    const nodes = await kube.list('v1', 'Node');
    for (const node of nodes) await kube.list('v1', 'Pod', { namespace: n.namespace, labelSelector: n.podSelector, fieldSelector: `spec.nodeName=${node.metadata.name}` });
    const baseline = { ms: Date.now() - t0, client: { ...kube.counts }, server: (await serverRequests(metrics)) - before };
    rounds.push({ verify, baseline });
    process.stderr.write(`round ${round + 1}: verify ${verify.ms} ms / ${verify.server} requests; per-node baseline ${baseline.ms} ms / ${baseline.server} requests\n`);
  }
  const result = {
    nodes: NODES,
    installToReadyMs: installMs,
    verifyMedianMs: median(rounds.map((r) => r.verify.ms)),
    verifyServerRequests: rounds.map((r) => r.verify.server),
    verifyClientCounts: rounds[0]!.verify.client,
    baselineMedianMs: median(rounds.map((r) => r.baseline.ms)),
    baselineServerRequests: rounds.map((r) => r.baseline.server),
    failedChecks: rounds[0]!.verify.failed,
    rounds,
  };
  console.log(JSON.stringify(result, null, 2));
  const out = path.join(import.meta.dirname, 'results');
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, 'spegel-verify.json'), `${JSON.stringify(result, null, 2)}\n`);
} finally {
  await h.setNodeCount(3);
  const stand = standInForCleanupWait(h, NS, 'spegel');
  await spegel.uninstall(s.ctx).catch((e: Error) => process.stderr.write(`cleanup: ${e.message}\n`));
  stand.stop();
  await h.client.remove(`/api/v1/namespaces/${NS}`).catch(() => undefined);
  await s.dispose();
  if (owned) await h.down();
  else h.client.close();
}
