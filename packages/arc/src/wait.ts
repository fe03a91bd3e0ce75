/** `wait`: the controller Deployment Available, then the AutoscalingRunnerSet present. Watches, no polling. */
import { KubeApiError, type ClusterContext, type KubeObject } from '@stateless-ci/core';
import { ARC_API, arcNames } from './names.ts';

export const WAIT_TIMEOUT_MS = 300_000;

interface Deployment extends KubeObject {
  status?: { availableReplicas?: number; conditions?: { type: string; status: string }[] };
}

export const deploymentAvailable = (d: Deployment | undefined): boolean =>
  Boolean(d && (d.status?.availableReplicas ?? 0) >= 1 && d.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True'));

export async function waitArc(ctx: ClusterContext, timeoutMs = WAIT_TIMEOUT_MS): Promise<void> {
  const n = arcNames(ctx.cluster);
  const deadline = Date.now() + timeoutMs;
  await ctx.kube.waitFor<Deployment, true>({
    path: `/apis/apps/v1/namespaces/${n.controllerNamespace}/deployments`,
    query: { fieldSelector: `metadata.name=${n.controllerDeployment}` },
    until: (_t, _o, all) => [...all.values()].some((d) => d.metadata.name === n.controllerDeployment && deploymentAvailable(d)) || undefined,
    timeoutMs,
    signal: ctx.signal,
    description: `Deployment ${n.controllerNamespace}/${n.controllerDeployment} to be Available (check: kubectl -n ${n.controllerNamespace} describe deploy ${n.controllerDeployment})`,
  });
  try {
    await ctx.kube.waitFor<KubeObject, true>({
      path: `/apis/${ARC_API}/namespaces/${n.runnersNamespace}/autoscalingrunnersets`,
      until: (_t, _o, all) => [...all.values()].some((s) => s.metadata.name === n.scaleSet && !s.metadata.deletionTimestamp) || undefined,
      timeoutMs: Math.max(1000, deadline - Date.now()),
      signal: ctx.signal,
      description: `AutoscalingRunnerSet ${n.runnersNamespace}/${n.scaleSet} (was the scale-set release installed? helm -n ${n.runnersNamespace} status ${n.scaleSet})`,
    });
  } catch (e) {
    if (e instanceof KubeApiError && e.code === 404) throw new KubeApiError(404, 'NotFound', `the AutoscalingRunnerSet CRD is not installed: run apply first`);
    throw e;
  }
}
