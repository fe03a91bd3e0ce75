/**
 * Install or upgrade: the namespace (server-side apply, only when the tool owns it), then
 * `helm upgrade --install` of the pinned chart. Helm does not wait; `wait.ts` does, with a watch.
 * Rollback: `snapshot` records the revision (and namespace) before, `rollback.ts` returns there.
 */
import { resolveChart, revisionInOutput, type ApplyResult, type ClusterContext, type KubeObject, type Snapshot } from '@stateless-ci/core';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, spegelNames } from './names.ts';
import { diffLines } from './object-diff.ts';
import { desiredValues, finishObjects, namespaceObject, templateChart } from './render.ts';
import type { ChartValues } from './values.ts';

export const namespaceKey = (ns: string): string => `v1/Namespace/${ns}`;

export async function snapshotSpegel(ctx: ClusterContext): Promise<Snapshot> {
  const c = ctx.cluster.spegel;
  const [st, ns] = await Promise.all([ctx.helm.status(c.release, c.namespace), ctx.kube.read({ apiVersion: 'v1', kind: 'Namespace', name: c.namespace })]);
  return {
    component: 'spegel',
    releases: [{ release: c.release, namespace: c.namespace, ...(st ? { revision: st.revision } : {}) }],
    objects: [{ key: namespaceKey(c.namespace), ...(ns ? { before: ns } : {}) }],
  };
}

export const ownsNamespace = (ns: KubeObject | undefined): boolean => ns?.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;

/** True when the live release already runs this chart version with exactly these values. */
export function upToDate(live: { status: string; chart: string; values: unknown } | undefined, chart: string, values: ChartValues): boolean {
  return live !== undefined && live.status === 'deployed' && live.chart === chart && diffLines(live.values, values).length === 0;
}

/** The pipeline's snapshot entries for this release and namespace, when it has them. */
function fromSnapshot(before: Snapshot | undefined, release: string, namespace: string) {
  const rel = before?.releases.find((r) => r.release === release && r.namespace === namespace);
  const ns = before?.objects?.find((o) => o.key === namespaceKey(namespace));
  return { release: rel, namespace: ns };
}

/**
 * `before`, the pipeline's snapshot taken under the lock just now, saves reading the namespace
 * again, and the release when there was none (under load each read is ~90 ms on the critical path).
 */
export async function applySpegel(ctx: ClusterContext, overrides?: ChartValues, before?: Snapshot): Promise<ApplyResult> {
  const c = ctx.cluster.spegel;
  const n = spegelNames(c);
  const values = desiredValues(ctx.cluster, overrides);
  // Render first: a chart that would deploy the wrong image is refused before anything is written.
  finishObjects(await templateChart(ctx, values), ctx.cluster);
  const known = fromSnapshot(before, c.release, c.namespace);

  const ns = known.namespace ? known.namespace.before : await ctx.kube.read({ apiVersion: 'v1', kind: 'Namespace', name: n.namespace });
  let nsChanged = false;
  if (!ns) {
    await ctx.kube.apply(namespaceObject(n));
    nsChanged = true;
  } else if (!ownsNamespace(ns)) {
    ctx.log.info(`spegel: namespace ${n.namespace} exists and was not created by stateless-ci; using it as is (uninstall will leave it)`);
  }

  // A snapshot without a revision saw no release, as `status` would now.
  const st = known.release && known.release.revision === undefined ? undefined : await ctx.helm.status(c.release, c.namespace);
  const chart = `spegel-${c.chart.version}`;
  const live = st && { status: st.status, chart: st.chart, values: await ctx.helm.getValues(c.release, c.namespace) };
  if (upToDate(live, chart, values)) {
    return { changed: nsChanged, summary: `spegel: release ${c.release} already at revision ${st!.revision} (${chart}), nothing to change` };
  }
  const out = await ctx.helm.upgradeInstall({ release: c.release, namespace: c.namespace, chart: resolveChart(c.chart, ctx.env), values, absent: st === undefined });
  const revision = revisionInOutput(out) ?? (await ctx.helm.status(c.release, c.namespace))?.revision;
  return {
    changed: true,
    summary: `spegel: ${st ? `upgraded release ${c.release} from revision ${st.revision}` : `installed release ${c.release}`} to revision ${revision ?? '?'} (${chart})`,
  };
}
