/**
 * Builds the contexts that actions run in, from the command line's choices. This is the only place
 * that reaches for the process environment, the file system and the kubeconfig; everything below
 * gets them injected.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ClusterConfig } from './config/cluster-config.ts';
import { loadClusterFile } from './config/load-cluster.ts';
import { Helm, HelmRunCache } from './exec/helm.ts';
import { HelmReleaseStore, usesSecretDriver } from './exec/helm-releases.ts';
import { manifestCacheFor } from './manifest-cache.ts';
import { chartStoreFor } from './exec/chart-store.ts';
import { templateCacheFor } from './exec/template-cache.ts';
import { createShell } from './exec/shell.ts';
import { Kube } from './kube/kube.ts';
import { loadKubeConfig } from './kube/kube-context.ts';
import { createLogger } from './log.ts';
import { Redactor } from './redact.ts';
import type { ClusterContext, RenderContext } from './task/component.ts';

/** The repository (clusters/, scripts/). Commands run from a bundle outside it (scripts/run.mjs) are told by STATELESS_CI_REPO_ROOT. */
export const REPO_ROOT = process.env.STATELESS_CI_REPO_ROOT ?? path.resolve(import.meta.dirname, '../../..');
export const CLUSTERS_DIR = process.env.STATELESS_CI_CLUSTERS_DIR ?? path.join(REPO_ROOT, 'clusters');

export const nodeClusterFileIO = {
  readFile: (p: string) => readFile(p, 'utf8'),
  listClusters: async (dir: string) => (await readdir(dir)).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')),
};

export async function loadCluster(nameOrPath: string): Promise<ClusterConfig> {
  return loadClusterFile(nameOrPath, CLUSTERS_DIR, nodeClusterFileIO);
}

export interface RuntimeOptions {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly verbose?: boolean;
  readonly env?: NodeJS.ProcessEnv;
  /** Where log lines go (default stderr); they pass the runtime's redactor, which knows every secret read. */
  readonly logSink?: (line: string) => void;
}

export interface Runtime {
  readonly render: RenderContext;
  /** Connects to the cluster (context guard applies); not called for render. */
  connect(): ClusterContext;
  dispose(): Promise<void>;
}

export async function createRuntime(cluster: ClusterConfig, opts: RuntimeOptions = {}): Promise<Runtime> {
  const env = opts.env ?? process.env;
  const redactor = new Redactor();
  const log = createLogger(redactor, opts.logSink, { verbose: opts.verbose });
  const sh = createShell(env);
  const workDir = await mkdtemp(path.join(tmpdir(), 'stateless-ci-'));
  const kubeconfig = opts.kubeconfig ?? env.KUBECONFIG;
  const helmTarget = { kubeconfig, context: undefined as string | undefined };
  // One run: charts pulled once, templates rendered once, shared by render and cluster actions.
  const cache = new HelmRunCache(workDir, manifestCacheFor(env), { charts: chartStoreFor(env), renders: templateCacheFor(env) });
  const render: RenderContext = { cluster, sh, helm: new Helm(sh, helmTarget, redactor, 'helm', cache), log, redactor, env, workDir };
  let connected: ClusterContext | undefined;
  return {
    render,
    connect() {
      if (connected) return connected;
      const kc = loadKubeConfig(cluster, { kubeconfig, context: opts.context });
      const kube = new Kube(kc);
      const store = usesSecretDriver(env) ? new HelmReleaseStore(kube) : undefined;
      const helm = new Helm(sh, { kubeconfig, context: kc.getCurrentContext() }, redactor, 'helm', cache, store);
      connected = { ...render, helm, kube };
      return connected;
    },
    async dispose() {
      connected?.kube.close();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}
