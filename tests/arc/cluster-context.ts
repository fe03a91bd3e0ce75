/**
 * A ClusterContext against the shared harness, for the arc cluster suites: its own namespaces and
 * release names (so suites never collide), the harness's chart mirror, fake but real-looking
 * credentials in the environment, and a logger that records every line for the redaction scans.
 */
import { createRuntime, type ClusterConfig, type ClusterContext } from '@stateless-ci/core';
import type { Harness } from '../harness/src/index.ts';
import { FAKE_APP_ENV, loadTestCluster } from './fixtures.ts';

export interface TestContext {
  readonly ctx: ClusterContext;
  readonly lines: string[];
  readonly dispose: () => Promise<void>;
}

/** theia-prod with names of its own (`tag` keeps suites apart) and the given chart version. */
export async function testCluster(tag: string, version: string): Promise<ClusterConfig> {
  const c = await loadTestCluster('theia-prod');
  return {
    ...c,
    namespaces: { controller: `arc-sys-${tag}`, runners: `arc-run-${tag}` },
    arc: {
      ...c.arc,
      controller: { release: `arc-${tag}`, chart: { ...c.arc.controller.chart, version } },
      runnerSet: { ...c.arc.runnerSet, name: `arc-runner-set-${tag}`, chart: { ...c.arc.runnerSet.chart, version }, maxRunners: 6 },
    },
  };
}

export const withVersion = (c: ClusterConfig, version: string): ClusterConfig => ({
  ...c,
  arc: { ...c.arc, controller: { ...c.arc.controller, chart: { ...c.arc.controller.chart, version } }, runnerSet: { ...c.arc.runnerSet, chart: { ...c.arc.runnerSet.chart, version } } },
});

export async function harnessContext(h: Harness, cluster: ClusterConfig, extraEnv: Record<string, string | undefined> = FAKE_APP_ENV): Promise<TestContext> {
  const lines: string[] = [];
  const env = { ...process.env, ...h.env(), ...extraEnv };
  for (const k of Object.keys(FAKE_APP_ENV)) if (!(k in extraEnv)) delete env[k];
  const rt = await createRuntime(cluster, { kubeconfig: h.kubeconfig, context: h.context, env, logSink: (l) => lines.push(l), verbose: true });
  return { ctx: rt.connect(), lines, dispose: () => rt.dispose() };
}

/** A copy of the context for another cluster config (same logger, redactor and tools). */
export const forCluster = (ctx: ClusterContext, cluster: ClusterConfig): ClusterContext => ({ ...ctx, cluster });

/** Deletes what a suite created: the namespaces (waiting until gone) and, when asked, the ARC CRDs. */
export async function cleanupCluster(h: Harness, c: ClusterConfig, opts: { crds: boolean }): Promise<void> {
  const { watchUntil } = await import('../harness/src/index.ts');
  for (const ns of [c.namespaces.runners, c.namespaces.controller]) await h.client.remove(`/api/v1/namespaces/${ns}`);
  await watchUntil(h.client, '/api/v1/namespaces', (m) => !m.has(c.namespaces.runners) && !m.has(c.namespaces.controller), 'arc test namespaces deleted', 120_000);
  if (opts.crds) {
    for (const p of ['autoscalingrunnersets', 'autoscalinglisteners', 'ephemeralrunnersets', 'ephemeralrunners']) {
      await h.client.remove(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${p}.actions.github.com`);
    }
  }
  for (const name of [`${c.arc.controller.release}-gha-rs-controller`]) {
    await h.client.remove(`/apis/rbac.authorization.k8s.io/v1/clusterroles/${name}`);
    await h.client.remove(`/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${name}`);
  }
}
