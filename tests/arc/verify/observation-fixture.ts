/** A healthy ArcObservation built from objects shaped like the ones the ARC controller creates. */
import { arcCrds, arcNames, crdState, type ArcObservation, type Pod } from '@stateless-ci/arc';
import type { ClusterConfig } from '@stateless-ci/core';
import { fakeCrds } from '../fixtures.ts';

export function listenerPod(name: string, over: Partial<Pod['status']> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'arc-systems', labels: { 'app.kubernetes.io/component': 'runner-scale-set-listener', 'actions.github.com/scale-set-name': 'arc-runner-set-stateless' } },
    spec: { nodeName: 'kwok-node-0' },
    status: { phase: 'Running', containerStatuses: [{ name: 'listener', ready: true, restartCount: 0, state: { running: {} } }], ...over },
  };
}

export function runnerPod(name: string, node: string, arch = 'amd64'): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'arc-runners', labels: { 'app.kubernetes.io/component': 'runner', 'actions.github.com/scale-set-name': 'arc-runner-set-stateless' } },
    spec: { nodeName: node, nodeSelector: { 'kubernetes.io/arch': arch }, volumes: [] },
    status: { phase: 'Running' },
  };
}

export function healthyObservation(c: ClusterConfig): ArcObservation {
  const n = arcNames(c);
  return {
    names: n,
    arch: c.arch,
    wantVersion: '0.14.2',
    minRunners: 0,
    crds: arcCrds(fakeCrds(), '0.14.2').map((x) => crdState(x.metadata.name, x)),
    controller: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: n.controllerDeployment, namespace: n.controllerNamespace },
      spec: { template: { spec: { containers: [{ name: 'manager', image: 'ghcr.io/actions/gha-runner-scale-set-controller:0.14.2' }] } } },
      status: { availableReplicas: 1, replicas: 1, conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }] },
    },
    scaleSet: {
      apiVersion: 'actions.github.com/v1alpha1',
      kind: 'AutoscalingRunnerSet',
      metadata: { name: n.scaleSet, namespace: n.runnersNamespace, labels: { 'app.kubernetes.io/version': '0.14.2' }, annotations: { 'runner-scale-set-id': '42' } },
      spec: {
        template: {
          spec: {
            nodeSelector: { 'kubernetes.io/arch': c.arch },
            volumes: [],
            containers: [{ name: 'runner', env: [{ name: 'ACTIONS_RUNNER_CONTAINER_HOOKS', value: '/home/runner/k8s-novolume/index.js' }] }],
          },
        },
      },
      status: { phase: 'Running' },
    },
    listeners: [{ apiVersion: 'actions.github.com/v1alpha1', kind: 'AutoscalingListener', metadata: { name: `${n.scaleSet}-754b578d-listener`, namespace: n.controllerNamespace }, spec: { autoscalingRunnerSetName: n.scaleSet } }],
    listenerPods: [listenerPod(`${n.scaleSet}-754b578d-listener`)],
    runnerPods: [],
    nodeArch: {},
    stuck: [],
  };
}
