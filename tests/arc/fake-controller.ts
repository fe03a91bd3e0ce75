/**
 * Stands in for the ARC controller, which kwok never runs and which could not reach GitHub anyway:
 *  - clears `actions.github.com/cleanup-protection` from chart objects being deleted (what the real
 *    controller does once a scale set is gone), so uninstall and the upgrade path can complete;
 *  - creates the objects the controller would create for a registered scale set: the
 *    runner-scale-set-id annotation and phase Running, the AutoscalingListener and its pod, runner pods.
 */
import type { Harness } from '../harness/src/index.ts';

const FINALIZER = 'actions.github.com/cleanup-protection';

interface Obj {
  metadata: { name: string; namespace?: string; deletionTimestamp?: string; finalizers?: string[]; resourceVersion?: string };
}

/**
 * While running: clears the cleanup finalizer from chart objects being deleted in the runner
 * namespace, and when an AutoscalingRunnerSet is deleted, deletes its AutoscalingListener and
 * listener pod in the controller namespace, as the controller does.
 */
export function startFakeController(h: Harness, o: { runnersNs: string; controllerNs: string }): { stop(): Promise<void>; cleared: string[] } {
  const ac = new AbortController();
  const cleared: string[] = [];
  const ns = o.runnersNs;
  const paths = [`/api/v1/namespaces/${ns}/serviceaccounts`, `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`];
  const onEvent = (path: string) => (ev: { type: string; object: Obj }) => {
    const m = ev.object.metadata;
    if (!m?.deletionTimestamp || !m.finalizers?.includes(FINALIZER)) return;
    const finalizers = m.finalizers.filter((f) => f !== FINALIZER);
    void h.client.raw('PATCH', `${path}/${m.name}`, { metadata: { finalizers, resourceVersion: m.resourceVersion } }, 'application/merge-patch+json').then((r) => {
      if (r.status === 200) cleared.push(`${path.split('/').pop()}/${m.name}`);
    });
  };
  const listeners = `/apis/actions.github.com/v1alpha1/namespaces/${o.controllerNs}/autoscalinglisteners`;
  const onScaleSet = (ev: { type: string; object: Obj }) => {
    if (ev.type !== 'DELETED') return;
    void h.client.get<{ items: (Obj & { spec?: { autoscalingRunnerSetName?: string } })[] }>(listeners).then(async (list) => {
      for (const l of list.items.filter((x) => x.spec?.autoscalingRunnerSetName === ev.object.metadata.name)) {
        await h.client.remove(`${listeners}/${l.metadata.name}`);
        await h.client.remove(`/api/v1/namespaces/${o.controllerNs}/pods/${l.metadata.name}?gracePeriodSeconds=0`);
        cleared.push(`autoscalinglisteners/${l.metadata.name}`);
      }
    }, () => undefined);
  };
  const watches: [string, (ev: { type: string; object: Obj }) => void][] = [
    ...paths.map((p) => [p, onEvent(p)] as [string, (ev: { type: string; object: Obj }) => void]),
    [`/apis/actions.github.com/v1alpha1/namespaces/${ns}/autoscalingrunnersets`, onScaleSet],
  ];
  const loops = watches.map(async ([path, handler]) => {
    while (!ac.signal.aborted) {
      try {
        await h.client.watch<Obj>(path, (ev) => void handler(ev), ac.signal);
      } catch {
        if (ac.signal.aborted) break;
        await new Promise((r) => setTimeout(r, 200)); // a CRD not yet installed: retry the watch shortly
      }
    }
  });
  return {
    cleared,
    async stop() {
      ac.abort();
      await Promise.all(loops);
    },
  };
}

export async function mergePatch(h: Harness, path: string, body: unknown): Promise<void> {
  const r = await h.client.raw('PATCH', path, body, 'application/merge-patch+json');
  if (r.status !== 200) throw new Error(`PATCH ${path}: ${r.status} ${r.body.slice(0, 300)}`);
}

/** What the controller does once GitHub accepted the scale set. */
export async function markRegistered(h: Harness, ns: string, name: string, id = 7): Promise<void> {
  const path = `/apis/actions.github.com/v1alpha1/namespaces/${ns}/autoscalingrunnersets/${name}`;
  await mergePatch(h, path, { metadata: { annotations: { 'runner-scale-set-id': String(id), 'actions.github.com/runner-scale-set-name': name } } });
  await mergePatch(h, `${path}/status`, { status: { phase: 'Running', currentRunners: 0 } });
}

export async function createListener(h: Harness, o: { controllerNs: string; runnersNs: string; scaleSet: string; name: string; nodeSelector?: Record<string, string> }): Promise<void> {
  await h.client.create(`/apis/actions.github.com/v1alpha1/namespaces/${o.controllerNs}/autoscalinglisteners`, {
    apiVersion: 'actions.github.com/v1alpha1',
    kind: 'AutoscalingListener',
    metadata: { name: o.name, namespace: o.controllerNs, labels: { 'actions.github.com/scale-set-name': o.scaleSet, 'actions.github.com/scale-set-namespace': o.runnersNs } },
    spec: { autoscalingRunnerSetName: o.scaleSet, autoscalingRunnerSetNamespace: o.runnersNs, githubConfigUrl: 'https://github.com/stateless-ci', image: 'ghcr.io/actions/gha-runner-scale-set-controller:0.14.2', runnerScaleSetId: 7, minRunners: 0, maxRunners: 10 },
  });
  await h.client.create(`/api/v1/namespaces/${o.controllerNs}/pods`, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: o.name,
      namespace: o.controllerNs,
      labels: { 'app.kubernetes.io/component': 'runner-scale-set-listener', 'app.kubernetes.io/part-of': 'gha-runner-scale-set', 'actions.github.com/scale-set-name': o.scaleSet, 'actions.github.com/scale-set-namespace': o.runnersNs },
    },
    spec: { nodeSelector: o.nodeSelector ?? { 'kubernetes.io/os': 'linux' }, containers: [{ name: 'listener', image: 'ghcr.io/actions/gha-runner-scale-set-controller:0.14.2', command: ['/ghalistener'] }] },
  });
}

export async function createRunnerPod(h: Harness, o: { ns: string; scaleSet: string; name: string; arch: string; nodeName?: string }): Promise<void> {
  await h.client.create(`/api/v1/namespaces/${o.ns}/pods`, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: o.name, namespace: o.ns, labels: { 'app.kubernetes.io/component': 'runner', 'actions-ephemeral-runner': 'True', 'actions.github.com/scale-set-name': o.scaleSet } },
    spec: {
      restartPolicy: 'Never',
      ...(o.nodeName ? { nodeName: o.nodeName } : {}),
      nodeSelector: { 'kubernetes.io/arch': o.arch },
      containers: [{ name: 'runner', image: 'ghcr.io/actions/actions-runner:latest', command: ['/home/runner/run.sh'] }],
    },
  });
}
