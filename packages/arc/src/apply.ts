/**
 * `apply`: credentials are read and validated, both charts rendered and the live state read before
 * anything is written; the plan (upgrade path first) is logged; then the chosen path runs.
 */
import { RefusedError, type ApplyResult, type ClusterContext, type ComponentPlan, type Logger, type ResolvedCredentials } from '@stateless-ci/core';
import { installSteps } from './install.ts';
import { prepare } from './prepare.ts';
import type { ArcTarget } from './render.ts';
import { documentedUpgrade } from './upgrade.ts';

export function logPlan(log: Logger, plan: ComponentPlan): void {
  for (const note of plan.notes) log.info(`arc plan: ${note}`);
  for (const c of plan.changes) {
    if (c.kind === 'unchanged') continue;
    log.info(`arc plan: ${c.kind} ${c.object}`);
    for (const line of c.diff ?? []) log.info(`    ${line}`);
  }
}

export async function applyArc(ctx: ClusterContext, target?: ArcTarget, creds?: ResolvedCredentials): Promise<ApplyResult> {
  const p = await prepare(ctx, target, creds);
  logPlan(ctx.log, p.plan);
  if (p.decision.blockers.length > 0) throw new RefusedError(`arc: ${p.decision.blockers.join('; ')}`);
  if (p.decision.path === 'unchanged') return { changed: false, summary: 'arc: nothing to change' };
  const done =
    p.decision.path === 'documented-upgrade'
      ? await documentedUpgrade(ctx, p.render, p.decision, p.live, p.secret)
      : await installSteps(ctx, p.render, p.decision, p.secret);
  return { changed: true, summary: `arc: ${done.join(', ')}` };
}
