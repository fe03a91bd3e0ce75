/**
 * Shared by the Spegel cluster suites: decide whether the suite can run (the Spegel chart must be
 * in the harness registry or pushable from a local checkout), and build a ClusterContext whose
 * cluster file is theia-prod with a namespace of the suite's own.
 */
import { createRuntime, loadCluster, type ClusterConfig, type ClusterContext, type Component } from '@stateless-ci/core';
import { closeHarness, openHarness, type Fixture } from '../harness/fixture.ts';
import { standInForCleanupWait } from '../harness/src/stand-ins/cleanup-wait.ts';
import { prepareUpstream, type Harness } from '../harness/src/index.ts';

const REGISTRY = '127.0.0.1:5000';

async function chartInRegistry(version: string): Promise<boolean> {
  try {
    const res = await fetch(`http://${REGISTRY}/v2/charts/spegel/tags/list`);
    if (res.status !== 200) return false;
    return ((await res.json()) as { tags?: string[] }).tags?.includes(version) ?? false;
  } catch {
    return false;
  }
}

/** Undefined when the suite can run, else the reason for the `# skipped-suite:` line. */
export async function skipReason(): Promise<string | undefined> {
  if (!process.env.STATELESS_CI_HARNESS_DIR) return 'no harness (STATELESS_CI_HARNESS_DIR unset): run through pnpm test or cluster-session.mts';
  if (process.env.STATELESS_CI_UPSTREAM_SPEGEL_DIR || (await chartInRegistry('0.7.4'))) return undefined;
  return 'Spegel chart 0.7.4 unavailable: the Go module proxy refuses github.com/spegel-org/spegel (403); set STATELESS_CI_UPSTREAM_SPEGEL_DIR to a v0.7.4 checkout';
}

/** Pushes the Spegel chart into the harness registry unless it is there already. */
export async function ensureChart(h: Harness): Promise<void> {
  if (await chartInRegistry('0.7.4')) return;
  const env = { ...process.env, STATELESS_CI_UPSTREAM_ARC_DIR: undefined };
  const r = (await prepareUpstream(h, { env })).find((x) => x.name === 'spegel');
  if (r?.status !== 'pushed') throw new Error(`spegel chart not pushed: ${r?.status === 'unavailable' ? r.reason : 'no result'}`);
}

export interface SpegelTestContext {
  readonly ctx: ClusterContext;
  readonly cluster: ClusterConfig;
  readonly lines: string[];
  dispose(): Promise<void>;
}

export async function spegelContext(h: Harness, namespace: string, patch: Partial<ClusterConfig['spegel']> = {}): Promise<SpegelTestContext> {
  const base = await loadCluster('theia-prod');
  const cluster: ClusterConfig = { ...base, spegel: { ...base.spegel, namespace, ...patch } };
  const lines: string[] = [];
  const rt = await createRuntime(cluster, { kubeconfig: h.kubeconfig, env: { ...process.env, ...h.env() }, logSink: (l) => lines.push(l), verbose: true });
  return { ctx: rt.connect(), cluster, lines, dispose: () => rt.dispose() };
}

/** Opens the shared harness, makes sure the chart is in its registry, and builds the suite's context. */
export async function openSpegelSuite(namespace: string): Promise<{ f: Fixture; s: SpegelTestContext }> {
  const f = await openHarness();
  await ensureChart(f.h);
  return { f, s: await spegelContext(f.h, namespace) };
}

/** Uninstalls (the cleanup hook completed by the stand-in), removes the namespace, leaves the harness as found. */
export async function closeSpegelSuite(f: Fixture | undefined, s: SpegelTestContext | undefined, namespace: string, spegel: Component): Promise<void> {
  if (f && s) {
    const stand = standInForCleanupWait(f.h, namespace, 'spegel');
    await spegel.uninstall(s.ctx).catch((e: Error) => console.error(`cleanup: ${e.message}`));
    stand.stop();
    await f.h.client.remove(`/api/v1/namespaces/${namespace}`).catch(() => undefined);
    await s.dispose();
  }
  await closeHarness(f);
}
