/**
 * Rendering: the two upstream charts through `helm template` (values on stdin, nothing on disk),
 * CRDs from the controller chart's `crds/` (--include-crds), plus the namespaces and the shape of
 * the credentials Secret. No API server is contacted.
 */
import { resolveChart, type ClusterConfig, type KubeObject, type RenderContext, type ResolvedSource, type SourceEnv } from '@stateless-ci/core';
import { arcCrds, CRD_SPEC_HASHES_KEPT_AS, crdSpecHashes } from './crds.ts';
import { credentialsSecretPlaceholder } from './credentials-secret.ts';
import { arcNames } from './names.ts';
import { controllerValues } from './values-controller.ts';
import { scaleSetValues } from './values-scale-set.ts';

/** What to install: chart versions and values. Rollback builds one from the previous release. */
export interface ArcTarget {
  readonly controllerChart: ResolvedSource;
  readonly scaleSetChart: ResolvedSource;
  readonly controllerValues: unknown;
  readonly scaleSetValues: unknown;
}

export interface ArcRender {
  readonly target: ArcTarget;
  /** Stamped with the chart version and spec hash. */
  readonly crds: readonly KubeObject[];
  readonly controllerObjects: readonly KubeObject[];
  readonly scaleSetObjects: readonly KubeObject[];
}

export function desiredTarget(c: ClusterConfig, env: SourceEnv): ArcTarget {
  return {
    controllerChart: resolveChart(c.arc.controller.chart, env),
    scaleSetChart: resolveChart(c.arc.runnerSet.chart, env),
    controllerValues: controllerValues(c),
    scaleSetValues: scaleSetValues(c),
  };
}

export function namespaceObjects(c: ClusterConfig): KubeObject[] {
  const n = arcNames(c);
  return [n.controllerNamespace, n.runnersNamespace].map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
}

/**
 * Renders once per run: render, plan, stage and apply all need it, and stamping the CRDs hashes
 * 2.8 MB of schema. The result is shared and frozen (see `Helm.once`).
 */
export function renderTarget(ctx: RenderContext, target: ArcTarget): Promise<ArcRender> {
  const n = arcNames(ctx.cluster);
  return ctx.helm.once(`arc render ${JSON.stringify([n, target])}`, async () => {
    const [controllerAll, scaleSetObjects] = await Promise.all([
      ctx.helm.templateObjectsFrozen(
        { release: n.controllerRelease, namespace: n.controllerNamespace, chart: target.controllerChart, values: target.controllerValues, includeCrds: true },
        `chart ${target.controllerChart.ref}`,
      ),
      ctx.helm.templateObjectsFrozen({ release: n.scaleSet, namespace: n.runnersNamespace, chart: target.scaleSetChart, values: target.scaleSetValues }, `chart ${target.scaleSetChart.ref}`),
    ]);
    // The spec hashes depend on the render's text alone: kept across runs, they spare 50 ms of CPU before the lock.
    const hashes = await ctx.helm.keep(CRD_SPEC_HASHES_KEPT_AS, controllerAll, () => crdSpecHashes(controllerAll));
    return {
      target,
      crds: arcCrds(controllerAll, target.controllerChart.version, hashes),
      controllerObjects: controllerAll.filter((o) => o.kind !== 'CustomResourceDefinition'),
      scaleSetObjects,
    };
  });
}

/** Everything `apply` would install, in order. The Secret carries no values, only their sources. */
export function renderedObjects(c: ClusterConfig, r: ArcRender): KubeObject[] {
  return [...namespaceObjects(c), ...r.crds, ...r.controllerObjects, credentialsSecretPlaceholder(c), ...r.scaleSetObjects];
}
