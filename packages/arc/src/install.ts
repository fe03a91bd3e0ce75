/**
 * The install / in-place steps, in dependency order: namespaces, CRDs (written whole), then at once
 * the controller release and, one after the other, the credentials Secret (server-side) and the
 * scale-set release. Each step runs only when the decision says it changes something.
 *
 * The controller and the scale set do not wait for each other: the scale-set chart is given the
 * controller's service account by name (no `lookup` of the controller Deployment), its RBAC may
 * name an account that does not exist yet, and the controller reconciles every scale set when it
 * starts. Both need the CRDs, which come first. When one fails, the other is let finish before the
 * error is raised, so a rollback never races a helm process still running.
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
    ctx.log.info(`arc: writing ${crds.length} CRDs (${r.target.controllerChart.version})`);
    await applyCrds(ctx.kube, crds);
    done.push(`${crds.length} CRDs`);
  }
  const controller = async (): Promise<string[]> => {
    if (d.controller === 'unchanged') return [];
    ctx.log.info(`arc: ${d.controller} controller ${n.controllerNamespace}/${n.controllerRelease} (chart ${r.target.controllerChart.version})`);
    // The tool owns the CRDs (written and stamped above); helm must leave crds/ alone.
    await ctx.helm.upgradeInstall({ release: n.controllerRelease, namespace: n.controllerNamespace, chart: r.target.controllerChart, values: r.target.controllerValues, skipCrds: true, timeoutMs: HELM_TIMEOUT_MS, absent: d.controller === 'install' });
    return [`controller ${r.target.controllerChart.version}`];
  };
  const scaleSet = async (): Promise<string[]> => {
    const steps: string[] = [];
    if (d.secret !== 'same') {
      ctx.log.info(`arc: ${d.secret === 'absent' ? 'creating' : 'updating'} Secret ${n.runnersNamespace}/${n.credentialsSecret} (values not shown)`);
      await ctx.kube.apply(secret);
      steps.push('credentials Secret');
    }
    if (d.scaleSet !== 'unchanged') {
      ctx.log.info(`arc: ${d.scaleSet} scale set ${n.runnersNamespace}/${n.scaleSet} (chart ${r.target.scaleSetChart.version})`);
      await ctx.helm.upgradeInstall({ release: n.scaleSet, namespace: n.runnersNamespace, chart: r.target.scaleSetChart, values: r.target.scaleSetValues, timeoutMs: HELM_TIMEOUT_MS, absent: d.scaleSet === 'install' });
      steps.push(`scale set ${n.scaleSet} ${r.target.scaleSetChart.version}`);
    }
    return steps;
  };
  const settled = await Promise.allSettled([controller(), scaleSet()]);
  for (const s of settled) if (s.status === 'rejected') throw s.reason;
  for (const s of settled) if (s.status === 'fulfilled') done.push(...s.value);
  return done;
}
