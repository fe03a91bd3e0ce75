/**
 * What a deploy would change: desired values and rendered chart objects against the live helm
 * release (its user values and its manifest). `planChanges` is pure; `planSpegel` gathers the live
 * state (helm list/get, one namespace read) and renders the desired state.
 */
import { parseManifests, type ClusterContext, type ComponentPlan, type KubeObject, type PlannedChange } from '@stateless-ci/core';
import { diffLines } from './object-diff.ts';
import { spegelNames } from './names.ts';
import { desiredValues, dropHelmHooks, templateChart } from './render.ts';
import type { ChartValues } from './values.ts';

export interface LiveRelease {
  readonly revision: number;
  readonly status: string;
  /** helm's `chart` column, e.g. spegel-0.7.4 */
  readonly chart: string;
  readonly values: unknown;
  readonly objects: readonly KubeObject[];
}

export interface DesiredRelease {
  readonly release: string;
  readonly namespace: string;
  /** e.g. spegel-0.7.4 */
  readonly chart: string;
  readonly values: ChartValues;
  /** Chart objects, hooks dropped (what the release will own). */
  readonly objects: readonly KubeObject[];
  readonly namespaceExists: boolean;
}

const objectKey = (o: KubeObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const label = (o: KubeObject, ns: string) => `${o.kind}/${o.metadata.namespace ?? ns}/${o.metadata.name}`;

export function planChanges(d: DesiredRelease, live: LiveRelease | undefined): ComponentPlan {
  const changes: PlannedChange[] = [];
  const notes: string[] = [];
  changes.push({ kind: d.namespaceExists ? 'unchanged' : 'create', object: `Namespace/${d.namespace}` });
  const releaseName = `helm release ${d.namespace}/${d.release}`;
  if (!live) {
    changes.push({ kind: 'create', object: releaseName, diff: [`+ chart: ${d.chart}`, ...diffLines({}, d.values)] });
  } else {
    const diff = [...(live.chart !== d.chart ? [`- chart: ${live.chart}`, `+ chart: ${d.chart}`] : []), ...diffLines(live.values, d.values)];
    const broken = live.status !== 'deployed';
    changes.push({ kind: diff.length > 0 || broken ? 'update' : 'unchanged', object: releaseName, ...(diff.length > 0 ? { diff } : {}) });
    if (broken) notes.push(`release ${d.release} is in state "${live.status}" (revision ${live.revision}); the deploy replaces it with a new revision`);
  }
  const before = new Map((live?.objects ?? []).map((o) => [objectKey(o), o]));
  for (const o of d.objects) {
    const old = before.get(objectKey(o));
    before.delete(objectKey(o));
    if (!old) changes.push({ kind: 'create', object: label(o, d.namespace) });
    else {
      const diff = diffLines(old, o);
      changes.push({ kind: diff.length > 0 ? 'update' : 'unchanged', object: label(o, d.namespace), ...(diff.length > 0 ? { diff } : {}) });
    }
  }
  for (const o of before.values()) changes.push({ kind: 'delete', object: label(o, d.namespace) });
  if (changes.some((c) => c.kind === 'update' && c.object.startsWith('DaemonSet/'))) {
    notes.push('the DaemonSet template changes: pods restart node by node (at most 10% of nodes at once); pulls on those nodes go upstream meanwhile');
  }
  return { component: 'spegel', changes, notes };
}

export async function liveRelease(ctx: ClusterContext): Promise<LiveRelease | undefined> {
  const c = ctx.cluster.spegel;
  const st = await ctx.helm.status(c.release, c.namespace);
  if (!st) return undefined;
  const [values, manifest] = await Promise.all([ctx.helm.getValues(c.release, c.namespace), ctx.helm.getManifest(c.release, c.namespace)]);
  return { revision: st.revision, status: st.status, chart: st.chart, values, objects: dropHelmHooks(parseManifests(manifest, `helm get manifest ${c.release}`)).kept };
}

export async function planSpegel(ctx: ClusterContext, overrides?: ChartValues): Promise<ComponentPlan> {
  const c = ctx.cluster.spegel;
  const values = desiredValues(ctx.cluster, overrides);
  const n = spegelNames(c);
  const [rendered, live, ns] = await Promise.all([templateChart(ctx, values), liveRelease(ctx), ctx.kube.read({ apiVersion: 'v1', kind: 'Namespace', name: n.namespace })]);
  const objects = dropHelmHooks(rendered).kept;
  return planChanges({ release: c.release, namespace: c.namespace, chart: `spegel-${c.chart.version}`, values, objects, namespaceExists: ns !== undefined }, live);
}
