/**
 * The install / in-place steps, in dependency order: namespaces, CRDs (server-side), controller
 * release, credentials Secret (server-side), scale-set release. Each step runs only when the
 * decision says it changes something.
 */
import type { ClusterContext, KubeObject } from '@stateless-ci/core';
import { applyCrds } from './crds.ts';
import { arcNames } from './names.ts';
import type { ArcDecision } from './plan.ts';
import { namespaceObjects, type ArcRender } from './render.ts';

export const HELM_TIMEOUT_MS = 300_000;

export async function installSteps(ctx: ClusterContext, r: ArcRender, d: ArcDecision, secret: KubeObject): Promise<string[]> {
  const n = arcNames(ctx.cluster);
  const done: string[] = [];
  // Namespaces are never removed by rollback: they may hold other things.
  await Promise.all(namespaceObjects(ctx.cluster).map((ns) => ctx.kube.apply(ns)));
  const crds = d.path === 'documented-upgrade' ? [] : r.crds.filter((c) => d.crds.includes(c.metadata.name));
  if (crds.length > 0) {
    ctx.log.info(`arc: applying ${crds.length} CRDs server-side (${r.target.controllerChart.version})`);
    await applyCrds(ctx.kube, crds);
    done.push(`${crds.length} CRDs`);
  }
  if (d.controller !== 'unchanged') {
    ctx.log.info(`arc: ${d.controller} controller ${n.controllerNamespace}/${n.controllerRelease} (chart ${r.target.controllerChart.version})`);
    // The tool owns the CRDs (server-side apply, stamped above); helm must leave crds/ alone.
    await ctx.helm.upgradeInstall({ release: n.controllerRelease, namespace: n.controllerNamespace, chart: r.target.controllerChart, values: r.target.controllerValues, createNamespace: true, skipCrds: true, timeoutMs: HELM_TIMEOUT_MS });
    done.push(`controller ${r.target.controllerChart.version}`);
  }
  if (d.secret !== 'same') {
    ctx.log.info(`arc: ${d.secret === 'absent' ? 'creating' : 'updating'} Secret ${n.runnersNamespace}/${n.credentialsSecret} (values not shown)`);
    await ctx.kube.apply(secret);
    done.push('credentials Secret');
  }
  if (d.scaleSet !== 'unchanged') {
    ctx.log.info(`arc: ${d.scaleSet} scale set ${n.runnersNamespace}/${n.scaleSet} (chart ${r.target.scaleSetChart.version})`);
    await ctx.helm.upgradeInstall({ release: n.scaleSet, namespace: n.runnersNamespace, chart: r.target.scaleSetChart, values: r.target.scaleSetValues, createNamespace: true, timeoutMs: HELM_TIMEOUT_MS });
    done.push(`scale set ${n.scaleSet} ${r.target.scaleSetChart.version}`);
  }
  return done;
}
