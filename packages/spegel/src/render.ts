/**
 * Rendering: the chart through `helm template --no-hooks`, then pure post-processing that drops
 * any remaining helm hook (the post-delete cleanup DaemonSet would delete the mirror config on
 * every node if it were ever applied as a plain object) and refuses a render whose images are not
 * the pinned one (the chart's in-repo placeholder appVersion is v0.0.1).
 */
import { ConfigError, resolveChart, type ClusterConfig, type KubeObject, type RenderContext, type Rendered } from '@stateless-ci/core';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, expectedImage, spegelNames, type SpegelNames } from './names.ts';
import { mergeValues, spegelValues, type ChartValues } from './values.ts';

export const HOOK_ANNOTATION = 'helm.sh/hook';

/**
 * The namespace the tool creates (instead of `helm --create-namespace`), so uninstall can tell it
 * owns it. Spegel mounts hostPath volumes and binds a hostPort, which the `baseline` and
 * `restricted` Pod Security levels forbid, so the namespace enforces `privileged`.
 */
export function namespaceObject(n: SpegelNames): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: n.namespace,
      labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, 'pod-security.kubernetes.io/enforce': 'privileged' },
    },
  };
}

export function isHook(o: KubeObject): boolean {
  return o.metadata.annotations?.[HOOK_ANNOTATION] !== undefined;
}

export function dropHelmHooks(objects: readonly KubeObject[]): { kept: KubeObject[]; dropped: string[] } {
  const kept: KubeObject[] = [];
  const dropped: string[] = [];
  for (const o of objects) {
    if (isHook(o)) dropped.push(`${o.kind}/${o.metadata.name}`);
    else kept.push(o);
  }
  return { kept, dropped };
}

interface PodSpecLike {
  containers?: { name: string; image?: string }[];
  initContainers?: { name: string; image?: string }[];
}

/** Every container image of every workload in `objects`, as `Kind/name container=image`. */
export function workloadImages(objects: readonly KubeObject[]): { object: string; container: string; image: string }[] {
  const out: { object: string; container: string; image: string }[] = [];
  for (const o of objects) {
    const spec = (o.spec as { template?: { spec?: PodSpecLike } } | undefined)?.template?.spec ?? (o.kind === 'Pod' ? (o.spec as PodSpecLike) : undefined);
    for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) out.push({ object: `${o.kind}/${o.metadata.name}`, container: c.name, image: c.image ?? '' });
  }
  return out;
}

/** Throws a ConfigError naming every container whose image is not the pinned one. */
export function assertPinnedImages(objects: readonly KubeObject[], cluster: ClusterConfig): void {
  const want = expectedImage(cluster.spegel);
  const wrong = workloadImages(objects).filter((i) => i.image !== want);
  if (wrong.length === 0) return;
  throw new ConfigError(
    wrong.map((w) => ({
      file: cluster.file,
      path: 'spegel.image',
      message: `the chart rendered ${w.object} container ${w.container} with image ${w.image || '(none)'}, not the pinned ${want}`,
      fix: 'check spegel.chart.version and spegel.image (the chart must honour image.tag / image.digest)',
    })),
  );
}

/** The values for this cluster, with optional overrides merged on top (tests, emergencies). */
export function desiredValues(cluster: ClusterConfig, overrides?: ChartValues): ChartValues {
  return mergeValues(spegelValues(cluster.spegel), overrides);
}

/** Pure post-processing of the parsed `helm template` output: drop hooks, check images, prepend the namespace. */
export function finishObjects(parsed: readonly KubeObject[], cluster: ClusterConfig): { objects: KubeObject[]; droppedHooks: string[] } {
  const { kept, dropped } = dropHelmHooks(parsed);
  assertPinnedImages(kept, cluster);
  return { objects: [namespaceObject(spegelNames(cluster.spegel)), ...kept], droppedHooks: dropped };
}

/** Helm-rendered chart objects only (no namespace), exactly what the release will own; parsed once per run. */
export async function templateChart(ctx: RenderContext, values: ChartValues): Promise<KubeObject[]> {
  const c = ctx.cluster.spegel;
  return ctx.helm.templateObjects({ release: c.release, namespace: c.namespace, chart: resolveChart(c.chart, ctx.env), values, noHooks: true }, `helm template ${c.release}`);
}

export async function renderSpegel(ctx: RenderContext, overrides?: ChartValues): Promise<Rendered> {
  const values = desiredValues(ctx.cluster, overrides);
  const { objects, droppedHooks } = finishObjects(await templateChart(ctx, values), ctx.cluster);
  if (droppedHooks.length > 0) ctx.log.debug(`spegel: dropped helm hooks from the render: ${droppedHooks.join(', ')}`);
  return { objects, values };
}
