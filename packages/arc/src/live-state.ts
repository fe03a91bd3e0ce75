/** Reads what is installed now: both helm releases (version, revision, values), the CRDs, the other scale sets. */
import { KubeApiError, withRetry, type ClusterContext, type KubeObject } from '@stateless-ci/core';
import { readCrdMeta, type CrdMeta } from './crds.ts';
import { ARC_API, CONTROLLER_CHART, SCALE_SET_CHART, arcNames, chartVersionOf } from './names.ts';

export interface ReleaseState {
  readonly version?: string;
  readonly revision: number;
  readonly status: string;
  /** User-supplied values of the deployed revision. */
  readonly values: unknown;
}

export interface ArcLive {
  readonly controller?: ReleaseState;
  readonly scaleSet?: ReleaseState;
  readonly crds: readonly CrdMeta[];
  /** `namespace/name` of AutoscalingRunnerSets this cluster file does not manage. */
  readonly otherScaleSets: readonly string[];
}

async function release(ctx: ClusterContext, name: string, namespace: string, chart: string): Promise<ReleaseState | undefined> {
  const s = await ctx.helm.status(name, namespace);
  if (!s) return undefined;
  const values = s.status === 'deployed' ? await ctx.helm.getValues(name, namespace) : undefined;
  return { version: chartVersionOf(s.chart, chart), revision: s.revision, status: s.status, values };
}

/**
 * All AutoscalingRunnerSets; none when the CRD is not installed or not yet served. Listed by path,
 * not through discovery: right after the CRDs are created, discovery can list the group without
 * this kind for a moment, which a discovery-based client reports as an unknown kind.
 */
export async function listScaleSets(ctx: ClusterContext): Promise<KubeObject[]> {
  try {
    // 429 "storage is (re)initializing" follows every CRD change for a moment: retried.
    return await withRetry(() => ctx.kube.listAt(`/apis/${ARC_API}/autoscalingrunnersets`));
  } catch (e) {
    if (e instanceof KubeApiError && e.code === 404) return [];
    throw e;
  }
}

export async function readLive(ctx: ClusterContext): Promise<ArcLive> {
  const n = arcNames(ctx.cluster);
  const [controller, scaleSet, crds, sets] = await Promise.all([
    release(ctx, n.controllerRelease, n.controllerNamespace, CONTROLLER_CHART),
    release(ctx, n.scaleSet, n.runnersNamespace, SCALE_SET_CHART),
    readCrdMeta(ctx.kube),
    listScaleSets(ctx),
  ]);
  const otherScaleSets = sets
    .filter((s) => !(s.metadata.name === n.scaleSet && s.metadata.namespace === n.runnersNamespace))
    .map((s) => `${s.metadata.namespace}/${s.metadata.name}`);
  return { controller, scaleSet, crds, otherScaleSets };
}
