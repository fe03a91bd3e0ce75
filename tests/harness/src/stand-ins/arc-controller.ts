/**
 * Stands in for the ARC controller's cleanup, which kwok never runs (and the controller could not
 * reach GitHub anyway): clears `actions.github.com/cleanup-protection` from chart objects being
 * deleted (what the real controller does once a scale set is gone), and when an
 * AutoscalingRunnerSet is deleted, deletes its AutoscalingListener and listener pod, as the
 * controller does. Without it an uninstall or the upgrade path waits forever on the harness.
 */
import type { Harness } from '../harness.ts';
import { watchForever } from './watch-forever.ts';

const FINALIZER = 'actions.github.com/cleanup-protection';

interface Obj {
  metadata: { name: string; namespace?: string; deletionTimestamp?: string; finalizers?: string[]; resourceVersion?: string };
  spec?: { autoscalingRunnerSetName?: string; autoscalingRunnerSetNamespace?: string };
}

type Resource = { readonly group: string; readonly resource: string };

const FINALIZED: readonly Resource[] = [
  { group: 'api/v1', resource: 'serviceaccounts' },
  { group: 'apis/rbac.authorization.k8s.io/v1', resource: 'roles' },
  { group: 'apis/rbac.authorization.k8s.io/v1', resource: 'rolebindings' },
  { group: 'api/v1', resource: 'secrets' },
];
const ARS = { group: 'apis/actions.github.com/v1alpha1', resource: 'autoscalingrunnersets' };
const LISTENERS = { group: 'apis/actions.github.com/v1alpha1', resource: 'autoscalinglisteners' };

/** `/group/namespaces/ns/resource` (or cluster-wide without ns). */
const pathOf = (r: Resource, ns?: string) => `/${r.group}/${ns ? `namespaces/${ns}/` : ''}${r.resource}`;

export interface ArcControllerStandIn {
  readonly cleared: string[];
  stop(): Promise<void>;
}

/** Watches the given namespaces' objects (all namespaces when `namespaces` is undefined). */
export function startArcControllerStandIn(h: Harness, namespaces?: { runners: string; controller: string }): ArcControllerStandIn {
  const ac = new AbortController();
  const cleared: string[] = [];
  const onFinalized = (r: Resource) => (ev: { type: string; object: Obj }) => {
    const m = ev.object.metadata;
    if (!m?.deletionTimestamp || !m.finalizers?.includes(FINALIZER)) return;
    const finalizers = m.finalizers.filter((f) => f !== FINALIZER);
    void h.client.raw('PATCH', `${pathOf(r, m.namespace)}/${m.name}`, { metadata: { finalizers, resourceVersion: m.resourceVersion } }, 'application/merge-patch+json').then((res) => {
      if (res.status === 200) cleared.push(`${r.resource}/${m.name}`);
    });
  };
  const onScaleSet = (ev: { type: string; object: Obj }) => {
    if (ev.type !== 'DELETED') return;
    const listeners = pathOf(LISTENERS, namespaces?.controller);
    void h.client.get<{ items: Obj[] }>(listeners).then(async (list) => {
      for (const l of list.items.filter((x) => x.spec?.autoscalingRunnerSetName === ev.object.metadata.name)) {
        await h.client.remove(`${pathOf(LISTENERS, l.metadata.namespace)}/${l.metadata.name}`);
        await h.client.remove(`/api/v1/namespaces/${l.metadata.namespace}/pods/${l.metadata.name}?gracePeriodSeconds=0`);
        cleared.push(`autoscalinglisteners/${l.metadata.name}`);
      }
    }, () => undefined);
  };
  const watches: [string, (ev: { type: string; object: Obj }) => void][] = [
    ...FINALIZED.map((r) => [pathOf(r, namespaces?.runners), onFinalized(r)] as [string, (ev: { type: string; object: Obj }) => void]),
    [pathOf(ARS, namespaces?.runners), onScaleSet],
  ];
  const loops = watches.map(([path, handler]) => watchForever<Obj>(h, path, (type, object) => handler({ type, object }), ac.signal));
  return {
    cleared,
    async stop() {
      ac.abort();
      await Promise.all(loops);
    },
  };
}
