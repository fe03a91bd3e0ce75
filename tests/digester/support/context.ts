/** A ClusterContext for the harness, with the digester section of theia-prod optionally changed. */
import { createRuntime, loadCluster, type ClusterConfig, type ClusterContext, type DigesterConfig } from '@stateless-ci/core';
import { prepareUpstream, type Harness } from '../../harness/src/index.ts';
import { goModCache } from '../../harness/src/kwok-config.ts';

export interface TestContext {
  readonly ctx: ClusterContext;
  readonly lines: string[];
  dispose(): Promise<void>;
}

export async function clusterWith(digester: Partial<DigesterConfig> = {}): Promise<ClusterConfig> {
  const c = await loadCluster('theia-prod');
  return { ...c, digester: { ...c.digester, ...digester } };
}

export async function harnessContext(h: Harness, digester: Partial<DigesterConfig> = {}): Promise<TestContext> {
  const lines: string[] = [];
  const rt = await createRuntime(await clusterWith(digester), { kubeconfig: h.kubeconfig, env: { ...process.env, ...h.env() }, logSink: (l) => lines.push(l), verbose: true });
  return { ctx: rt.connect(), lines, dispose: () => rt.dispose() };
}

/** Pushes the k8s-digester manifests (from GOMODCACHE) to the harness registry, as the harness does. */
export async function pushDigesterManifests(h: Harness): Promise<string> {
  // Only GOMODCACHE is passed, so the chart pushes are reported unavailable at once instead of packaged.
  const results = await prepareUpstream(h, { env: { GOMODCACHE: goModCache() } });
  const r = results.find((x) => x.name === 'k8s-digester');
  if (r?.status !== 'pushed') throw new Error(`k8s-digester manifests not pushed: ${r?.status === 'unavailable' ? r.reason : 'no result'}`);
  return r.ref;
}
