/**
 * `stage`: creates the actions.github.com CRDs an install needs and that are absent, while Spegel
 * and the digester deploy. The API server takes about a second to create and digest ARC's four
 * large CRDs; right after, every client's discovery is slow too. Staging takes that off the
 * critical path. Only absent CRDs are staged: changed ones belong to the documented upgrade path,
 * which must remove the controller first. The snapshot taken before records them as absent, so a
 * rollback deletes them again.
 */
import type { ClusterContext, KubeObject } from '@stateless-ci/core';
import { applyCrds } from './crds.ts';
import type { ArcLive } from './live-state.ts';
import { decide } from './plan.ts';
import { desiredOf, prepare } from './prepare.ts';
import { desiredTarget, renderTarget, type ArcRender } from './render.ts';
import type { ArcSnapshot } from './rollback.ts';

/**
 * The CRDs to stage: the absent ones, unless the plan is blocked, unchanged or the documented
 * upgrade. Pure. The credentials Secret plays no part: it only tells "unchanged" from the rest,
 * and an absent CRD is a change already.
 */
export function crdsToStage(r: ArcRender, live: ArcLive): KubeObject[] {
  const d = decide(live, desiredOf(r), 'different');
  if (d.blockers.length > 0 || d.path === 'documented-upgrade' || d.path === 'unchanged') return [];
  return r.crds.filter((c) => d.crds.includes(c.metadata.name) && !live.crds.find((l) => l.name === c.metadata.name)?.present);
}

/**
 * `before`, the snapshot the pipeline took under the lock just now, holds the live state: with it
 * nothing is read again before the CRDs go out (under load that read took ~90 ms, all of it on
 * the critical path).
 */
export async function stageArc(ctx: ClusterContext, before?: ArcSnapshot, needed?: Promise<void>): Promise<string | undefined> {
  const known = before?.arc?.live;
  const [render, live] = known ? [await renderTarget(ctx, desiredTarget(ctx.cluster, ctx.env)), known] : await prepare(ctx).then((p) => [p.render, p.live] as const);
  const absent = crdsToStage(render, live);
  if (absent.length === 0) return undefined;
  await applyCrds(ctx.kube, absent, { needed });
  return `arc: created ${absent.length} absent CRDs (${render.target.controllerChart.version}) while the components before ARC deploy`;
}
