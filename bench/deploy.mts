// Benchmark (issue 7): the deploy pipeline against a baseline of plain sequential
// `helm upgrade --install --wait` + `kubectl rollout status` with the same charts and values,
// on the same harness in the same run. Reports wall-time ratios and API request counts from the
// API server's audit log, for a fresh deploy and for a no-op redeploy. Asserts nothing about time.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { createRuntime, loadCluster, resolveChart, runDeploy, stringifyManifests, type ClusterConfig, type ClusterContext } from '@stateless-ci/core';
import { controllerValues, credentialsSecret, loadCredentials, scaleSetValues } from '@stateless-ci/arc';
import { spegelValues } from '@stateless-ci/spegel';
import { COMPONENTS_IN_ORDER } from '@stateless-ci/verify';
import { machineCpuMs } from './lib/machine-cpu.ts';
import { cpuBetween, processCpu } from './lib/process-cpu.ts';
import { attach, auditEvents, auditMark, isClientRequest, isClientWrite } from '../tests/harness/src/index.ts';
import { startStandInsProcess } from './lib/stand-ins-process.ts';
import { ensureThrowawayCredentials, sourcesAvailable, withAvailable } from '../scripts/lib/sandbox-sources.ts';

const h = await attach(process.env.STATELESS_CI_HARNESS_DIR!);
Object.assign(process.env, h.env());
// kwok runs no containers: the real k8s-digester binary writes the caBundle, and Spegel's uninstall hook pod is completed.
// In a process of their own, so they play the nodes alike for both runs (see stand-ins-process.ts).
const standIns = await startStandInsProcess(process.env.STATELESS_CI_HARNESS_DIR!, (l) => process.stderr.write(`[stand-in] ${l}\n`));
ensureThrowawayCredentials(process.env);
const base = await loadCluster('theia-prod');
const missing = await sourcesAvailable(base, process.env);
const cluster = withAvailable(base, missing);
const enabled = COMPONENTS_IN_ORDER.filter((c) => cluster[c.name].enabled).map((c) => c.name);
const newRuntime = (env: NodeJS.ProcessEnv = process.env) => createRuntime(cluster, { kubeconfig: h.kubeconfig, context: h.context, env });
const rt = await newRuntime();
const ctx = rt.connect();
/** One deploy as `pnpm deploy:amd` runs it: a runtime of its own (no charts or renders from an earlier run in memory). */
async function deployOnce(env: NodeJS.ProcessEnv = process.env): Promise<Awaited<ReturnType<typeof runDeploy>>> {
  const own = await newRuntime(env);
  try {
    return await runDeploy(own.connect(), COMPONENTS_IN_ORDER, { renderer: 'silent', secrets, verify: false });
  } finally {
    await own.dispose();
  }
}
/** The cluster file as this bench deploys it (components without upstream content switched off), for the command line. */
const clusterFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'bench-cluster-')), 'theia-prod.yaml');
{
  const raw = parse(readFileSync(base.file, 'utf8')) as Record<string, Record<string, unknown>>;
  for (const [name, why] of missing) if (why) raw[name]!.enabled = false;
  writeFileSync(clusterFile, stringify(raw));
}
/** One deploy as a user starts it: `node scripts/run.mjs deploy-amd` (what `pnpm deploy:amd` runs, without pnpm itself), no verify. */
function deployCli(): void {
  const argv = [path.join(import.meta.dirname, '../scripts/run.mjs'), 'deploy-amd', '--cluster', clusterFile, '--kubeconfig', h.kubeconfig, '--context', h.context, '--no-verify'];
  const r = spawnSync(process.execPath, argv, { encoding: 'utf8', env: { ...process.env, CI: '1', NO_COLOR: '1' } });
  if (r.status !== 0 || !/succeeded/.test(r.stderr)) throw new Error(`deploy-amd exited ${r.status}: ${r.stderr.slice(-600)}`);
}
// Build (or find) the command's bundle first, as any earlier run on the machine would have.
spawnSync(process.execPath, [path.join(import.meta.dirname, '../scripts/run.mjs'), 'deploy-amd', '--help'], { env: process.env });
const log = (l: string) => process.stderr.write(`[bench deploy] ${l}\n`);
log(`components: ${enabled.join(', ')}${[...missing].filter(([, w]) => w).map(([n]) => `; ${n} left out (upstream unavailable)`).join('')}`);

interface Measured {
  ms: number;
  requests: number;
  writes: number;
  /** Machine-wide CPU busy time during the run (every process: ours, helm, API server, etcd, ...). */
  cpuMs: number;
  /** cpuMs / (ms × cores): near 1 means the run was CPU-bound. */
  cpuUtilization: number;
  /** CPU ms per program (API server, etcd, this process, its helm/kubectl processes, ...). */
  cpuByProcess: Record<string, number>;
}

async function measure(fn: () => Promise<unknown>): Promise<Measured> {
  const mark = await auditMark(h.auditLog);
  const p0 = processCpu();
  const c0 = machineCpuMs();
  const t0 = performance.now();
  await fn();
  const ms = performance.now() - t0;
  const c1 = machineCpuMs();
  const p1 = processCpu();
  const events = await auditEvents(h.auditLog, mark);
  const busy = c1.busy - c0.busy;
  return {
    ms: Math.round(ms),
    requests: events.filter(isClientRequest).length,
    writes: events.filter(isClientWrite).length,
    cpuMs: busy,
    cpuUtilization: Number((busy / Math.max(1, c1.total - c0.total)).toFixed(2)),
    cpuByProcess: cpuBetween(p0, p1),
  };
}

function sh(argv: string[], input?: string): void {
  const r = spawnSync(argv[0]!, argv.slice(1), { input, encoding: 'utf8', env: process.env });
  if (r.status !== 0) throw new Error(`${argv.slice(0, 4).join(' ')} failed: ${r.stderr.slice(-400)}`);
}

/** The baseline: what a careful person types, one command after another. */
async function baseline(c: ClusterConfig, work: string, ctx: ClusterContext): Promise<void> {
  const chartArgs = (ref: { source: string; version: string }) => {
    const r = resolveChart(ref, process.env);
    return [r.ref, '--version', r.version, ...(r.plainHttp ? ['--plain-http'] : [])];
  };
  const values = (name: string, v: unknown) => {
    const f = path.join(work, `${name}.yaml`);
    writeFileSync(f, stringify(v, { version: '1.1' }));
    return f;
  };
  if (c.spegel.enabled) {
    sh(['helm', 'upgrade', '--install', c.spegel.release, ...chartArgs(c.spegel.chart), '-n', c.spegel.namespace, '--create-namespace', '-f', values('spegel', spegelValues(c.spegel)), '--wait', '--timeout', '5m']);
    sh(['kubectl', 'rollout', 'status', `daemonset/${c.spegel.release}`, '-n', c.spegel.namespace, '--timeout=5m']);
  }
  if (c.digester.enabled) {
    const objects = (await COMPONENTS_IN_ORDER[1]!.render(ctx)).objects;
    sh(['kubectl', 'apply', '--server-side', '--force-conflicts', '-f', '-'], stringifyManifests(objects));
    sh(['kubectl', 'rollout', 'status', 'deployment/digester-controller-manager', '-n', c.digester.namespace, '--timeout=5m']);
  }
  if (c.arc.enabled) {
    sh(['helm', 'upgrade', '--install', c.arc.controller.release, ...chartArgs(c.arc.controller.chart), '-n', c.namespaces.controller, '--create-namespace', '-f', values('arc-controller', controllerValues(c)), '--wait', '--timeout', '5m']);
    sh(['kubectl', 'rollout', 'status', `deployment/${c.arc.controller.release}-gha-rs-controller`, '-n', c.namespaces.controller, '--timeout=5m']);
    const creds = await loadCredentials(c, { env: process.env, readFile: async () => '' }, ctx.redactor);
    // The Secret goes through stdin, never to disk.
    sh(['kubectl', 'apply', '-f', '-'], stringifyManifests([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: c.namespaces.runners } }, credentialsSecret(c, creds)]));
    sh(['helm', 'upgrade', '--install', c.arc.runnerSet.name, ...chartArgs(c.arc.runnerSet.chart), '-n', c.namespaces.runners, '-f', values('arc-scale-set', scaleSetValues(c)), '--wait', '--timeout', '5m']);
  }
}

async function teardown(): Promise<void> {
  for (const comp of [...COMPONENTS_IN_ORDER].reverse()) if (cluster[comp.name].enabled) await comp.uninstall(ctx);
  // ARC's uninstall keeps its CRDs (deleting them deletes every scale set); a clean slate needs them gone.
  for (const crd of await ctx.kube.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition')) {
    if (crd.metadata.name.endsWith('.actions.github.com')) await ctx.kube.delete({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: crd.metadata.name });
  }
  for (const ns of [cluster.spegel.namespace, cluster.digester.namespace, cluster.namespaces.runners, cluster.namespaces.controller]) {
    await ctx.kube.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns });
  }
  await ctx.kube.waitFor({
    path: '/api/v1/namespaces',
    until: (_t, _o, all) => ![...all.values()].some((n) => [cluster.spegel.namespace, cluster.digester.namespace, cluster.namespaces.runners, cluster.namespaces.controller].includes(n.metadata.name)) || undefined,
    timeoutMs: 120_000,
    description: 'namespaces removed',
  });
}

const work = path.join(rt.render.workDir, 'baseline');
mkdirSync(work, { recursive: true });
const secrets = { env: process.env, readFile: async () => '' };
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const results: { ours: { fresh: Measured; noop: Measured; freshColdCache: Measured; freshCli: Measured }; baseline: { fresh: Measured; noop: Measured } }[] = [];
for (let i = 0; i < rounds; i++) {
  // Alternate who goes first, so neither always gets a warm cache.
  const order = i % 2 === 0 ? (['ours', 'baseline'] as const) : (['baseline', 'ours'] as const);
  const round: Partial<(typeof results)[number]> = {};
  for (const who of order) {
    if (who === 'ours') {
      const fresh = await measure(async () => {
        const r = await deployOnce();
        if (r.outcome !== 'succeeded') throw new Error(`deploy ${r.outcome}: ${r.error}`);
      });
      const noop = await measure(async () => {
        const r = await deployOnce();
        if (r.outcome !== 'no-change') throw new Error(`redeploy was ${r.outcome}: ${r.plans.flatMap((p) => p.changes.filter((c) => c.kind !== 'unchanged').map((c) => c.object)).join(', ')}`);
      });
      // And once with empty caches (charts, templates, parsed manifests), as on a machine's first deploy.
      await teardown();
      const coldDir = mkdtempSync(path.join(os.tmpdir(), 'bench-cold-cache-'));
      const freshColdCache = await measure(async () => {
        const r = await deployOnce({ ...process.env, STATELESS_CI_CACHE_DIR: coldDir });
        if (r.outcome !== 'succeeded') throw new Error(`deploy ${r.outcome}: ${r.error}`);
      });
      rmSync(coldDir, { recursive: true, force: true });
      // And as a user runs it: `pnpm deploy:amd` is a fresh node process (its bundle built, see scripts/run.mjs).
      await teardown();
      const freshCli = await measure(async () => deployCli());
      round.ours = { fresh, noop, freshColdCache, freshCli };
    } else {
      const fresh = await measure(() => baseline(cluster, work, ctx));
      const noop = await measure(() => baseline(cluster, work, ctx));
      round.baseline = { fresh, noop };
    }
    await teardown();
  }
  results.push(round as (typeof results)[number]);
  log(`round ${i + 1}: ours fresh ${round.ours!.fresh.ms} ms (empty caches ${round.ours!.freshColdCache.ms} ms, as a new process ${round.ours!.freshCli.ms} ms) / no-op ${round.ours!.noop.ms} ms; baseline fresh ${round.baseline!.fresh.ms} ms / no-op ${round.baseline!.noop.ms} ms`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pick = (who: 'ours' | 'baseline', what: 'fresh' | 'noop', k: Exclude<keyof Measured, 'cpuByProcess'>) => median(results.map((r) => r[who][what][k]));
const coldMs = median(results.map((r) => r.ours.freshColdCache.ms));
const cliMs = median(results.map((r) => r.ours.freshCli.ms));
/** Median CPU per program over the rounds, for a fresh deploy; programs under 50 ms on both sides are left out. */
const programs = [...new Set(results.flatMap((r) => [...Object.keys(r.ours.fresh.cpuByProcess), ...Object.keys(r.baseline.fresh.cpuByProcess)]))];
const cpuByProgram = Object.fromEntries(
  programs
    .map((p) => [p, { ours: median(results.map((r) => r.ours.fresh.cpuByProcess[p] ?? 0)), baseline: median(results.map((r) => r.baseline.fresh.cpuByProcess[p] ?? 0)) }] as const)
    .filter(([, v]) => Math.max(v.ours, v.baseline) >= 50)
    .sort((a, b) => b[1].ours + b[1].baseline - (a[1].ours + a[1].baseline)),
);
const summary = {
  benchmark: 'deploy',
  components: enabled,
  leftOut: Object.fromEntries([...missing].filter(([, w]) => w)),
  rounds,
  medianMs: { oursFreshEmptyCaches: coldMs, oursFreshNewProcess: cliMs, oursFresh: pick('ours', 'fresh', 'ms'), baselineFresh: pick('baseline', 'fresh', 'ms'), oursNoop: pick('ours', 'noop', 'ms'), baselineNoop: pick('baseline', 'noop', 'ms') },
  requests: { oursFresh: pick('ours', 'fresh', 'requests'), baselineFresh: pick('baseline', 'fresh', 'requests'), oursNoop: pick('ours', 'noop', 'requests'), baselineNoop: pick('baseline', 'noop', 'requests') },
  writes: { oursFresh: pick('ours', 'fresh', 'writes'), baselineFresh: pick('baseline', 'fresh', 'writes'), oursNoop: pick('ours', 'noop', 'writes'), baselineNoop: pick('baseline', 'noop', 'writes') },
  cpu: {
    oursFreshMs: pick('ours', 'fresh', 'cpuMs'),
    oursFreshUtilization: pick('ours', 'fresh', 'cpuUtilization'),
    baselineFreshMs: pick('baseline', 'fresh', 'cpuMs'),
    baselineFreshUtilization: pick('baseline', 'fresh', 'cpuUtilization'),
    freshByProgramMs: cpuByProgram,
  },
  rawRounds: results,
};
const ratio = summary.medianMs.oursFresh / summary.medianMs.baselineFresh;
const lines = [
  `fresh deploy: ours ${summary.medianMs.oursFresh} ms vs baseline ${summary.medianMs.baselineFresh} ms = ${ratio.toFixed(2)}x the baseline's time (target <= 0.6)`,
  `fresh deploy with empty caches (a machine's first run): ours ${coldMs} ms = ${(coldMs / summary.medianMs.baselineFresh).toFixed(2)}x`,
  `fresh deploy as a new process (node scripts/run.mjs deploy-amd --no-verify, what pnpm deploy:amd runs): ours ${cliMs} ms = ${(cliMs / summary.medianMs.baselineFresh).toFixed(2)}x`,
  `no-op redeploy: ours ${summary.medianMs.oursNoop} ms with ${summary.writes.oursNoop} writes (target < 3000 ms, 0 writes); baseline ${summary.medianMs.baselineNoop} ms with ${summary.writes.baselineNoop} writes`,
  `machine CPU during a fresh deploy: ours ${summary.cpu.oursFreshMs} ms at ${summary.cpu.oursFreshUtilization} utilization, baseline ${summary.cpu.baselineFreshMs} ms at ${summary.cpu.baselineFreshUtilization}`,
  `CPU by program during a fresh deploy, ms, ours / baseline (medians; the kubelet stand-ins are the other "node"): ${Object.entries(cpuByProgram)
    .map(([p, v]) => `${p} ${v.ours} / ${v.baseline}`)
    .join('; ')}`,
  `API requests (client side, audit log): fresh ours ${summary.requests.oursFresh} vs baseline ${summary.requests.baselineFresh}; no-op ours ${summary.requests.oursNoop} vs baseline ${summary.requests.baselineNoop}`,
];
process.stdout.write(`${lines.join('\n')}\n`);
const out = path.resolve(import.meta.dirname, 'results');
mkdirSync(out, { recursive: true });
writeFileSync(path.join(out, 'deploy.json'), `${JSON.stringify({ ...summary, ratioFresh: ratio }, null, 2)}\n`);
await rt.dispose();
await standIns.stop();
rmSync(path.dirname(clusterFile), { recursive: true, force: true });
h.client.close();
