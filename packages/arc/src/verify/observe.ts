/** Gathers the ArcObservation with reads and lists only (about a dozen requests, whatever the runner count). */
import { KubeApiError, withRetry, type ClusterContext, type KubeObject } from '@stateless-ci/core';
import { readCrdStates } from '../crds.ts';
import { ARC_API, CLEANUP_FINALIZER, LISTENER_COMPONENT, SCALE_SET_NAME_LABEL, arcNames } from '../names.ts';
import type { ArcObservation, Deployment, Pod } from './observation.ts';

async function listOrEmpty<T extends KubeObject>(p: Promise<T[]>): Promise<T[]> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof KubeApiError && e.code === 404) return [];
    throw e;
  }
}

/** Retries transient answers (429 while CRD storage re-initializes, 5xx). */
export async function observeArc(ctx: ClusterContext): Promise<ArcObservation> {
  return withRetry(() => observeOnce(ctx));
}

async function observeOnce(ctx: ClusterContext): Promise<ArcObservation> {
  const c = ctx.cluster;
  const n = arcNames(c);
  const k = ctx.kube;
  const [crds, controller, scaleSet, listeners, listenerPods, runnerPods, stuckLists] = await Promise.all([
    readCrdStates(k),
    k.read<Deployment>({ apiVersion: 'apps/v1', kind: 'Deployment', name: n.controllerDeployment, namespace: n.controllerNamespace }),
    k.read({ apiVersion: ARC_API, kind: 'AutoscalingRunnerSet', name: n.scaleSet, namespace: n.runnersNamespace }),
    listOrEmpty(k.list(ARC_API, 'AutoscalingListener', { namespace: n.controllerNamespace })),
    k.list<Pod>('v1', 'Pod', { namespace: n.controllerNamespace, labelSelector: `app.kubernetes.io/component=${LISTENER_COMPONENT},${SCALE_SET_NAME_LABEL}=${n.scaleSet}` }),
    k.list<Pod>('v1', 'Pod', { namespace: n.runnersNamespace, labelSelector: 'app.kubernetes.io/component=runner' }),
    Promise.all(
      (
        [
          ['v1', 'ServiceAccount'],
          ['v1', 'Secret'],
          ['rbac.authorization.k8s.io/v1', 'Role'],
          ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
        ] as const
      ).map(async ([api, kind]) => (await k.list(api, kind, { namespace: n.runnersNamespace })).map((o) => ({ ...o, kind }))),
    ),
  ]);
  const ours = runnerPods.filter((p) => (p.metadata.labels?.[SCALE_SET_NAME_LABEL] ?? n.scaleSet) === n.scaleSet);
  const nodeArch: Record<string, string | undefined> = {};
  if (ours.length > 0) {
    for (const node of await k.list('v1', 'Node')) nodeArch[node.metadata.name] = node.metadata.labels?.['kubernetes.io/arch'];
  }
  const stuck = stuckLists
    .flat()
    .filter((o) => o.metadata.deletionTimestamp && ((o.metadata.finalizers as string[] | undefined) ?? []).includes(CLEANUP_FINALIZER))
    .map((o) => `${o.kind}/${n.runnersNamespace}/${o.metadata.name}`);
  return {
    names: n,
    arch: c.arch,
    wantVersion: c.arc.controller.chart.version,
    minRunners: c.arc.runnerSet.minRunners,
    crds,
    controller,
    scaleSet,
    listeners: listeners.filter((l) => (l.spec as { autoscalingRunnerSetName?: string } | undefined)?.autoscalingRunnerSetName === n.scaleSet || l.metadata.labels?.[SCALE_SET_NAME_LABEL] === n.scaleSet),
    listenerPods,
    runnerPods: ours,
    nodeArch,
    stuck,
  };
}
