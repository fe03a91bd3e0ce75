// Benchmark (issue 8): the freshness check over 2,000 pods and 200 unique tags on the harness
// registry, against a naive baseline (one HEAD per pod container, sequentially) and the limit
// (unique refs × round trip / concurrency). Two kinds of scenario, same registry, same pods:
//  - direct: the registry on loopback, ~1.5 ms a request, nearly all of it CPU (registry and
//    client share this machine's cores);
//  - rtt-N: the same registry behind a TCP latency proxy (its own process) adding N ms per round
//    trip, as a registry across a network is reached. The pods of that scenario name the proxy.
// Run inside a netns holding only lo:  pnpm bench --only freshness
// Prints the numbers and writes bench/results/freshness.json; asserts nothing.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { KubeConfig } from '@kubernetes/client-node';
import { Kube, RegistryClient, Redactor, createLogger, parseReference } from '@stateless-ci/core';
import { runFreshness } from '../packages/verify/src/freshness/check.ts';
import { readPods } from '../packages/verify/src/freshness/cluster-reads.ts';
import { imageUses } from '../packages/verify/src/freshness/pod-images.ts';
import { mapLimit } from '../packages/verify/src/freshness/pool.ts';
import { machineCpuMs } from './lib/machine-cpu.ts';
import { attach, up, watchUntil, type Harness } from '../tests/harness/src/index.ts';
import { pushMultiArch, REGISTRY } from '../tests/verify/freshness/_registry.ts';

const PODS = Number(process.env.BENCH_PODS ?? 2000);
const REFS = Number(process.env.BENCH_REFS ?? 200);
const CONCURRENCY = 8;
const DIRECT_ROUNDS = 3;
const PROXIED_ROUNDS = Number(process.env.BENCH_PROXIED_ROUNDS ?? 1);
/** Round trips added by the proxy, ms: 2 ms for a registry in the same region, 10 ms for a public registry nearby (Docker Hub, GHCR: typically 10-30 ms). */
const RTTS = (process.env.BENCH_RTTS ?? '2,10').split(',').map(Number).filter((n) => n > 0);
const CORES = cpus().length;
const NS = `bench-freshness-${process.pid}`;

const owned = !process.env.STATELESS_CI_HARNESS_DIR;
const h: Harness = owned ? await up({ profile: 'theia-prod', nodes: 3 }) : await attach(process.env.STATELESS_CI_HARNESS_DIR!);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const log = (l: string) => process.stderr.write(`[bench freshness] ${l}\n`);

async function startProxy(rttMs: number): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '../tests/harness/src/latency-proxy-main.mts'), REGISTRY, String(rttMs / 2)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (c) => reject(new Error(`latency proxy exited with ${c}`)));
  });
  return { port: Number(/^listening (\d+)$/.exec(line)![1]), child };
}

interface Round {
  check: { totalMs: number; kubeMs: number; registryMs: number; head: number; get: number; cpuMs: number };
  baseline: { totalMs: number; registryMs: number; head: number };
  rttMs: number;
}

const children: ChildProcess[] = [];
const namespaces: string[] = [];
try {
  const kc = new KubeConfig();
  kc.loadFromFile(h.kubeconfig);
  kc.setCurrentContext(h.context);
  const kube = new Kube(kc);
  const quiet = createLogger(new Redactor(), (l) => process.stderr.write(`${l}\n`));

  // Given: REFS multi-arch tags in the registry.
  let t0 = Date.now();
  const tagged = await mapLimit(Array.from({ length: REFS }, (_, i) => i), 8, async (i) => {
    const repo = `bench/app-${i % 50}`;
    const tag = `t${i}`;
    const { index } = await pushMultiArch(repo, tag, new Date().toISOString());
    return { path: `${repo}:${tag}`, index };
  });
  log(`pushed ${REFS} multi-arch tags in ${Date.now() - t0} ms`);

  /** PODS Running pods in their own namespace, over the REFS tags as reached at `host`. */
  async function podsFor(name: string, host: string): Promise<string> {
    const ns = `${NS}-${name}`;
    namespaces.push(ns);
    await h.client.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const s = Date.now();
    await mapLimit(Array.from({ length: PODS }, (_, i) => i), 32, (i) =>
      h.client.create(`/api/v1/namespaces/${ns}/pods`, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `p${i}` },
        // nodeName spreads pods over the 3 fake nodes without the scheduler's 110-pod capacity.
        spec: { nodeName: `kwok-node-${i % 3}`, containers: [{ name: 'main', image: `${host}/${tagged[i % REFS]!.path}@${tagged[i % REFS]!.index}` }] },
      }),
    );
    await watchUntil<{ metadata: { name: string }; status?: { phase?: string } }>(h.client, `/api/v1/namespaces/${ns}/pods`, (m) => m.size === PODS && [...m.values()].every((p) => p.status?.phase === 'Running'), `${PODS} pods Running`, 600_000);
    log(`${PODS} pods on ${host} Running in ${Date.now() - s} ms`);
    return ns;
  }

  async function scenario(name: string, ns: string, host: string, rounds: number): Promise<Round[]> {
    const all = (await h.client.get<{ items: { metadata: { name: string } }[] }>('/api/v1/namespaces')).items.map((n) => n.metadata.name);
    const others = all.filter((n) => n !== ns);
    const out: Round[] = [];
    for (let round = 0; round < rounds; round++) {
      // The check as shipped, with the machine's CPU read around it.
      const c0 = machineCpuMs().busy;
      const report = await runFreshness(
        { cluster: 'bench', arch: 'amd64', maxAgeSeconds: 86_400, concurrency: CONCURRENCY, excludeNamespaces: others, archCheck: 'on-change', pullSecrets: true },
        { kube, log: quiet, redactor: new Redactor() },
      );
      const cpuMs = machineCpuMs().busy - c0;
      // Naive baseline: the same pod list, then one HEAD per pod container, one after another.
      const b0 = Date.now();
      const { pods, owners } = await readPods(kube, others);
      const { uses } = imageUses(pods, owners);
      let head = 0;
      const naive = new RegistryClient({ onRequest: (m) => void (m === 'HEAD' && head++) });
      const r0 = Date.now();
      for (const u of uses) await naive.headManifest(parseReference(u.refKey!));
      const baseline = { totalMs: Date.now() - b0, registryMs: Date.now() - r0, head };
      // Round trip: median of sequential single HEADs (what the limit formula multiplies).
      const rtts: number[] = [];
      for (let i = 0; i < 50; i++) {
        const s = performance.now();
        await naive.headManifest(parseReference(`${host}/${tagged[i % REFS]!.path}`));
        rtts.push(performance.now() - s);
      }
      const check = {
        totalMs: report.durationMs,
        kubeMs: report.timings.kubeMs,
        registryMs: report.timings.registryMs,
        head: report.requests.head,
        get: report.requests.get,
        cpuMs,
      };
      out.push({ check, baseline, rttMs: median(rtts) });
      log(`${name} round ${round + 1}: check ${check.totalMs} ms (registry ${check.registryMs} ms, ${check.head} HEAD, ${check.get} GET, machine CPU ${cpuMs} ms); naive ${baseline.totalMs} ms (${baseline.head} HEAD); round trip ${median(rtts).toFixed(2)} ms`);
    }
    return out;
  }

  function summarize(name: string, addedRttMs: number, rounds: Round[]) {
    const m = (f: (r: Round) => number) => median(rounds.map(f));
    const rtt = m((r) => r.rttMs);
    const limitMs = (REFS * rtt) / CONCURRENCY;
    const check = m((r) => r.check.totalMs);
    const checkRegistry = m((r) => r.check.registryMs);
    const cpu = m((r) => r.check.cpuMs);
    return {
      scenario: name,
      addedRttMs,
      rounds: rounds.length,
      medianMs: { check, checkKube: m((r) => r.check.kubeMs), checkRegistry, baseline: m((r) => r.baseline.totalMs), baselineRegistry: m((r) => r.baseline.registryMs), roundTrip: Number(rtt.toFixed(2)), limit: Number(limitMs.toFixed(1)) },
      requests: { checkHead: rounds.map((r) => r.check.head), checkGet: rounds.map((r) => r.check.get), baselineHead: rounds.map((r) => r.baseline.head) },
      ratios: {
        baselineOverCheck: Number((m((r) => r.baseline.totalMs) / check).toFixed(1)),
        baselineOverCheckRegistryPhase: Number((m((r) => r.baseline.registryMs) / checkRegistry).toFixed(1)),
        checkRegistryOverLimit: Number((checkRegistry / limitMs).toFixed(2)),
        checkTotalOverLimit: Number((check / limitMs).toFixed(2)),
      },
      // The whole check's machine CPU spread over every core: no client can finish faster here.
      cpu: { checkMachineCpuMs: cpu, cores: CORES, cpuFloorMs: Math.round(cpu / CORES), utilization: Number((cpu / (check * CORES)).toFixed(2)) },
    };
  }

  // One scenario at a time, so the cluster holds exactly PODS pods while measuring. Deleting them
  // keeps the control plane busy for a while: the next scenario starts when they are gone.
  const plans = [{ name: 'direct', host: REGISTRY, rounds: DIRECT_ROUNDS, rtt: 0 }];
  for (const rtt of RTTS) {
    const proxy = await startProxy(rtt);
    children.push(proxy.child);
    plans.push({ name: `rtt-${rtt}`, host: `127.0.0.1:${proxy.port}`, rounds: PROXIED_ROUNDS, rtt });
  }
  const results = [];
  for (const p of plans) {
    const ns = await podsFor(p.name, p.host);
    results.push(summarize(p.name, p.rtt, await scenario(p.name, ns, p.host, p.rounds)));
    await h.client.remove(`/api/v1/namespaces/${ns}`);
    await watchUntil<{ metadata: { name: string } }>(h.client, '/api/v1/namespaces', (m) => ![...m.values()].some((n) => n.metadata.name === ns), `namespace ${ns} gone`, 600_000);
  }

  for (const r of results) {
    process.stdout.write(
      `${r.scenario}: check ${r.medianMs.check} ms (registry phase ${r.medianMs.checkRegistry} ms, ${r.requests.checkHead.join('/')} HEAD) vs naive ${r.medianMs.baseline} ms: ` +
        `${r.ratios.baselineOverCheck}x faster (target >= 20x); limit ${r.medianMs.limit} ms (round trip ${r.medianMs.roundTrip} ms): registry phase ${r.ratios.checkRegistryOverLimit}x, whole check ${r.ratios.checkTotalOverLimit}x the limit (target <= 2x); ` +
        `machine CPU ${r.cpu.checkMachineCpuMs} ms = at least ${r.cpu.cpuFloorMs} ms on ${r.cpu.cores} cores, utilization ${r.cpu.utilization}\n`,
    );
  }
  const result = {
    benchmark: 'freshness',
    pods: PODS,
    uniqueRefs: REFS,
    concurrency: CONCURRENCY,
    targets: { faster: '>= 20x baseline', limit: '<= 2x limit', heads: `exactly ${REFS} HEAD` },
    scenarios: results,
    measuredAt: new Date().toISOString(),
  };
  const out = path.join(import.meta.dirname, 'results', 'freshness.json');
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
} finally {
  for (const c of children) c.kill('SIGTERM');
  for (const ns of namespaces) await h.client.remove(`/api/v1/namespaces/${ns}`).catch(() => undefined);
  if (owned) await h.down();
  else h.client.close();
}
