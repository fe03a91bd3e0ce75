/**
 * Everything a plan or an apply needs, computed before anything is written: credentials (a
 * ConfigError here stops the deploy before any change), the rendered charts, the live state and
 * the decision. Only reads the cluster.
 */
import type { ClusterContext, ComponentPlan, KubeObject, ResolvedCredentials } from '@stateless-ci/core';
import { compareSecret, credentialsSecret, loadCredentials, nodeSecretIO } from './credentials-secret.ts';
import { readLive, type ArcLive } from './live-state.ts';
import { arcNames } from './names.ts';
import { decide, toPlan, type ArcDecision, type ArcDesired } from './plan.ts';
import { desiredTarget, renderTarget, type ArcRender, type ArcTarget } from './render.ts';

export interface Prepared {
  readonly render: ArcRender;
  readonly live: ArcLive;
  readonly decision: ArcDecision;
  readonly plan: ComponentPlan;
  /** Holds the credentials: in memory only, never logged. */
  readonly secret: KubeObject;
}

export const desiredOf = (r: ArcRender): ArcDesired => ({
  controllerVersion: r.target.controllerChart.version,
  scaleSetVersion: r.target.scaleSetChart.version,
  controllerValues: r.target.controllerValues,
  scaleSetValues: r.target.scaleSetValues,
  crds: r.crds,
});

export async function prepare(ctx: ClusterContext, target?: ArcTarget, creds?: ResolvedCredentials): Promise<Prepared> {
  const c = ctx.cluster;
  const resolved = creds ?? (await loadCredentials(c, nodeSecretIO(ctx.env), ctx.redactor));
  const secret = credentialsSecret(c, resolved);
  const render = await renderTarget(ctx, target ?? desiredTarget(c, ctx.env));
  const n = arcNames(c);
  const [live, liveSecret] = await Promise.all([
    readLive(ctx),
    ctx.kube.read({ apiVersion: 'v1', kind: 'Secret', name: n.credentialsSecret, namespace: n.runnersNamespace }),
  ]);
  const desired = desiredOf(render);
  const decision = decide(live, desired, compareSecret(liveSecret, secret));
  return { render, live, decision, plan: toPlan(decision, live, desired, n), secret };
}
