/**
 * ARC's documented upgrade path (github/docs "Upgrading ARC"; ARC #4147, #4167, #4422): scale set
 * out and cleaned up, controller out, CRDs replaced (deleted, then created), then reinstall with the same
 * scale-set name and values. Runs only after the plan listing these steps has been logged.
 */
import type { ClusterContext, KubeObject } from '@stateless-ci/core';
import { replaceCrds } from './crds.ts';
import { installSteps } from './install.ts';
import type { ArcLive } from './live-state.ts';
import { arcNames } from './names.ts';
import type { ArcDecision } from './plan.ts';
import type { ArcRender } from './render.ts';
import { waitForScaleSetCleanup } from './scale-set-cleanup.ts';

export const CLEANUP_TIMEOUT_MS = 300_000;

export async function documentedUpgrade(ctx: ClusterContext, r: ArcRender, d: ArcDecision, live: ArcLive, secret: KubeObject, timeoutMs = CLEANUP_TIMEOUT_MS): Promise<string[]> {
  const n = arcNames(ctx.cluster);
  if (live.scaleSet) {
    ctx.log.info(`arc upgrade 1/4: uninstalling scale set ${n.runnersNamespace}/${n.scaleSet} (chart ${live.scaleSet.version ?? 'unknown'})`);
    await ctx.helm.uninstall(n.scaleSet, n.runnersNamespace);
  }
  ctx.log.info(`arc upgrade 1/4: waiting for scale set ${n.scaleSet} to be cleaned up by the controller`);
  await waitForScaleSetCleanup(ctx, timeoutMs);
  if (live.controller) {
    ctx.log.info(`arc upgrade 2/4: uninstalling controller ${n.controllerNamespace}/${n.controllerRelease} (chart ${live.controller.version ?? 'unknown'})`);
    await ctx.helm.uninstall(n.controllerRelease, n.controllerNamespace);
  }
  ctx.log.info(`arc upgrade 3/4: replacing ${r.crds.length} CRDs (delete, then create) with chart ${r.target.controllerChart.version}`);
  await replaceCrds(ctx.kube, r.crds, timeoutMs, ctx.signal);
  ctx.log.info(`arc upgrade 4/4: reinstalling controller and scale set ${n.scaleSet}`);
  const done = await installSteps(ctx, r, { ...d, controller: 'install', scaleSet: 'install' }, secret);
  return [`upgraded via the documented path (${d.reasons.join('; ')})`, ...done];
}
