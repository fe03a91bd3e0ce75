/**
 * Waiting for a scale set to be gone after `helm uninstall`: the AutoscalingRunnerSet, its
 * EphemeralRunnerSets and runners, its AutoscalingListener, and the chart's ServiceAccount, Roles
 * and RoleBindings that carry the `actions.github.com/cleanup-protection` finalizer, which only a
 * running controller removes (ARC #2781). Uninstalling the controller before this completes leaves
 * them Terminating forever, hence the wait.
 */
import { KubeApiError, UnhealthyError, type ClusterContext, type KubeObject } from '@stateless-ci/core';
import { ARC_API, CLEANUP_FINALIZER, SCALE_SET_NAME_LABEL, arcNames } from './names.ts';

interface Collection {
  readonly kind: string;
  readonly path: string;
  readonly query?: Record<string, string>;
  readonly matches: (o: KubeObject) => boolean;
}

export function cleanupCollections(ctx: ClusterContext): Collection[] {
  const n = arcNames(ctx.cluster);
  const arc = (ns: string, plural: string) => `/apis/${ARC_API}/namespaces/${ns}/${plural}`;
  const byLabel = { labelSelector: `${SCALE_SET_NAME_LABEL}=${n.scaleSet}` };
  const ownedBySet = (o: KubeObject) => o.metadata.labels?.[SCALE_SET_NAME_LABEL] === n.scaleSet;
  const listenerFor = (o: KubeObject) => {
    const spec = (o.spec ?? {}) as { autoscalingRunnerSetName?: string; autoscalingRunnerSetNamespace?: string };
    return (spec.autoscalingRunnerSetName === n.scaleSet && spec.autoscalingRunnerSetNamespace === n.runnersNamespace) || ownedBySet(o);
  };
  return [
    { kind: 'AutoscalingRunnerSet', path: arc(n.runnersNamespace, 'autoscalingrunnersets'), matches: (o) => o.metadata.name === n.scaleSet },
    { kind: 'EphemeralRunnerSet', path: arc(n.runnersNamespace, 'ephemeralrunnersets'), query: byLabel, matches: ownedBySet },
    { kind: 'EphemeralRunner', path: arc(n.runnersNamespace, 'ephemeralrunners'), query: byLabel, matches: ownedBySet },
    { kind: 'AutoscalingListener', path: arc(n.controllerNamespace, 'autoscalinglisteners'), matches: listenerFor },
    { kind: 'ServiceAccount', path: `/api/v1/namespaces/${n.runnersNamespace}/serviceaccounts`, query: byLabel, matches: ownedBySet },
    { kind: 'Role', path: `/apis/rbac.authorization.k8s.io/v1/namespaces/${n.runnersNamespace}/roles`, query: byLabel, matches: ownedBySet },
    { kind: 'RoleBinding', path: `/apis/rbac.authorization.k8s.io/v1/namespaces/${n.runnersNamespace}/rolebindings`, query: byLabel, matches: ownedBySet },
  ];
}

const describe = (kind: string, o: KubeObject): string => {
  const fin = (o.metadata.finalizers as string[] | undefined) ?? [];
  const state = o.metadata.deletionTimestamp ? `Terminating${fin.length ? `, finalizers ${fin.join(',')}` : ''}` : 'present';
  return `${kind}/${o.metadata.namespace ?? ''}/${o.metadata.name} (${state})`;
};

/** What is still there, for the error message. */
export async function remainingScaleSetObjects(ctx: ClusterContext): Promise<string[]> {
  const out: string[] = [];
  for (const c of cleanupCollections(ctx)) {
    const res = await ctx.kube.raw('GET', `${c.path}?${new URLSearchParams(c.query ?? {}).toString()}`);
    if (res.status === 404) continue;
    const items = (JSON.parse(res.body) as { items?: KubeObject[] }).items ?? [];
    for (const o of items.filter(c.matches)) out.push(describe(c.kind, o));
  }
  return out;
}

export async function waitForScaleSetCleanup(ctx: ClusterContext, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const n = arcNames(ctx.cluster);
  for (const c of cleanupCollections(ctx)) {
    try {
      await ctx.kube.waitFor<KubeObject, true>({
        path: c.path,
        query: c.query,
        until: (_t, _o, all) => ![...all.values()].some(c.matches) || undefined,
        timeoutMs: Math.max(1000, deadline - Date.now()),
        signal: ctx.signal,
        description: `${c.kind} of scale set ${n.scaleSet} to be removed`,
      });
    } catch (e) {
      if (e instanceof KubeApiError && e.code === 404) continue; // CRD not installed: nothing of that kind exists
      const left = await remainingScaleSetObjects(ctx).catch(() => []);
      const stuck = left.some((l) => l.includes(CLEANUP_FINALIZER));
      throw new UnhealthyError(
        `scale set ${n.scaleSet} not cleaned up after ${Math.round(timeoutMs / 1000)}s: ${left.join('; ') || (e as Error).message}. ` +
          (stuck
            ? `Only a running controller removes ${CLEANUP_FINALIZER}: check \`kubectl -n ${n.controllerNamespace} get deploy ${n.controllerDeployment}\` and its logs; if the controller is gone, remove the finalizer by hand (kubectl patch <kind> <name> -n ${n.runnersNamespace} --type merge -p '{"metadata":{"finalizers":null}}')`
            : `check the controller logs: kubectl -n ${n.controllerNamespace} logs deploy/${n.controllerDeployment}`),
      );
    }
  }
}
