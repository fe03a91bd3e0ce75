/**
 * A ClusterContext against the shared harness, for the arc cluster suites: its own namespaces and
 * release names (so suites never collide), the harness's chart mirror, fake but real-looking
 * credentials in the environment, and a logger that records every line for the redaction scans.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { Helm, Kube, Redactor, createLogger, createShell, type ClusterConfig, type ClusterContext } from '@stateless-ci/core';
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
  const redactor = new Redactor();
  const lines: string[] = [];
  const log = createLogger(redactor, (l) => lines.push(l), { verbose: true });
  const env = { ...process.env, ...h.env(), ...extraEnv };
  for (const k of Object.keys(FAKE_APP_ENV)) if (!(k in extraEnv)) delete env[k];
  const sh = createShell(env);
  const kc = new KubeConfig();
  kc.loadFromFile(h.kubeconfig);
  kc.setCurrentContext(h.context);
  const workDir = await mkdtemp(join(tmpdir(), 'arc-test-'));
  const ctx: ClusterContext = { cluster, sh, helm: new Helm(sh, { kubeconfig: h.kubeconfig, context: h.context }, redactor), log, redactor, env, workDir, kube: new Kube(kc) };
  return { ctx, lines, dispose: () => rm(workDir, { recursive: true, force: true }) };
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
