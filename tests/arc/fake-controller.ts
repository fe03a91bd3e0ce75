/**
 * Stands in for the ARC controller, which kwok never runs and which could not reach GitHub anyway:
 *  - its cleanup (finalizers, listeners) is the harness's stand-in (tests/harness/src/stand-ins);
 *  - creates the objects the controller would create for a registered scale set: the
 *    runner-scale-set-id annotation and phase Running, the AutoscalingListener and its pod, runner pods.
 */
import type { Harness } from '../harness/src/index.ts';
import { startArcControllerStandIn, type ArcControllerStandIn } from '../harness/src/stand-ins/arc-controller.ts';

/** The controller's cleanup (finalizers, listeners): the harness's stand-in, for these namespaces. */
export function startFakeController(h: Harness, o: { runnersNs: string; controllerNs: string }): ArcControllerStandIn {
  return startArcControllerStandIn(h, { runners: o.runnersNs, controller: o.controllerNs });
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
