/**
 * `stage`: creates the actions.github.com CRDs an install needs and that are absent, while Spegel
 * and the digester deploy. The API server takes about a second to create and digest ARC's four
 * large CRDs; right after, every client's discovery is slow too. Staging takes that off the
 * critical path. Only absent CRDs are staged: changed ones belong to the documented upgrade path,
 * which must remove the controller first. The snapshot taken before records them as absent, so a
 * rollback deletes them again.
 */
import type { ClusterContext } from '@stateless-ci/core';
import { applyCrds } from './crds.ts';
import { prepare } from './prepare.ts';

export async function stageArc(ctx: ClusterContext): Promise<string | undefined> {
  const p = await prepare(ctx);
  const d = p.decision;
  if (d.blockers.length > 0 || d.path === 'documented-upgrade' || d.path === 'unchanged') return undefined;
  const absent = p.render.crds.filter((c) => d.crds.includes(c.metadata.name) && !p.live.crds.find((l) => l.name === c.metadata.name)?.present);
  if (absent.length === 0) return undefined;
  await applyCrds(ctx.kube, absent);
  return `arc: staged ${absent.length} absent CRDs server-side (${p.render.target.controllerChart.version}) while the components before ARC deploy`;
}
