import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { arcChecks, crdState, arcCrds, type ArcObservation } from '@stateless-ci/arc';
import { healthy, type Check, type ClusterConfig } from '@stateless-ci/core';
import { fakeCrds, loadTestCluster } from '../fixtures.ts';
import { healthyObservation, listenerPod, runnerPod } from './observation-fixture.ts';

const t = suite<{ c?: ClusterConfig }>('arc verify verdicts on constructed objects');
t.before(async (ctx) => {
  ctx.c = await loadTestCluster('theia-prod');
});

const check = (o: ArcObservation, name: string): Check => {
  const c = arcChecks(o).find((x) => x.name === name);
  if (!c) throw new Error(`no check ${name}`);
  return c;
};

t('a healthy installation passes every check', ({ c }) => {
  const checks = arcChecks(healthyObservation(c!));
  assert.equal(checks.map((x) => x.name), ['arc.crds', 'arc.controller-available', 'arc.scale-set-present', 'arc.scale-set-registered', 'arc.scale-set-running', 'arc.runner-mode', 'arc.listener-running', 'arc.runners-arch', 'arc.no-stuck-finalizers']);
  assert.equal(checks.filter((x) => x.status !== 'pass'), []);
  assert.ok(healthy(checks));
});

t('controller missing or not Available', ({ c }) => {
  const o = healthyObservation(c!);
  const missing = check({ ...o, controller: undefined }, 'arc.controller-available');
  assert.is(missing.status, 'fail');
  assert.match(missing.detail, /Deployment arc-systems\/arc-gha-rs-controller not found; run apply/);
  const down = check({ ...o, controller: { ...o.controller!, status: { availableReplicas: 0, conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' }] } } }, 'arc.controller-available');
  assert.is(down.status, 'fail');
  assert.match(down.detail, /not Available \(MinimumReplicasUnavailable: Deployment does not have minimum availability\.\); check kubectl -n arc-systems describe deploy/);
});

t('controller on another minor than the cluster file is a failure (ARC #4422)', ({ c }) => {
  const o = healthyObservation(c!);
  const ctrl = { ...o.controller!, spec: { template: { spec: { containers: [{ name: 'manager', image: 'ghcr.io/actions/gha-runner-scale-set-controller:0.13.1' }] } } } };
  const r = check({ ...o, controller: ctrl }, 'arc.controller-available');
  assert.is(r.status, 'fail');
  assert.match(r.detail, /not on minor 0\.14.*ARC #4422/);
});

t('scale set absent, being deleted, or from another chart minor', ({ c }) => {
  const o = healthyObservation(c!);
  assert.match(check({ ...o, scaleSet: undefined }, 'arc.scale-set-present').detail, /AutoscalingRunnerSet arc-runners\/arc-runner-set-stateless not found/);
  const deleting = { ...o.scaleSet!, metadata: { ...o.scaleSet!.metadata, deletionTimestamp: '2026-09-01T00:00:00Z' } };
  assert.match(check({ ...o, scaleSet: deleting }, 'arc.scale-set-present').detail, /is being deleted/);
  const old = { ...o.scaleSet!, metadata: { ...o.scaleSet!.metadata, labels: { 'app.kubernetes.io/version': '0.13.1' } } };
  assert.is(check({ ...o, scaleSet: old }, 'arc.scale-set-present').status, 'fail');
});

t('not registered: no runner-scale-set-id annotation points at URL and credentials', ({ c }) => {
  const o = healthyObservation(c!);
  for (const annotations of [{}, { 'runner-scale-set-id': '0' }, { 'runner-scale-set-id': 'abc' }] as Record<string, string>[]) {
    const r = check({ ...o, scaleSet: { ...o.scaleSet!, metadata: { ...o.scaleSet!.metadata, annotations } } }, 'arc.scale-set-registered');
    assert.is(r.status, 'fail');
    assert.match(r.detail, /not registered with GitHub.*githubConfigUrl.*Secret arc-runners\/arc-runner-set-stateless-github-config.*logs deploy\/arc-gha-rs-controller/);
  }
  assert.equal(check(o, 'arc.scale-set-registered').metrics, { scaleSetId: 42 });
});

t('phase Pending, Outdated, or a pre-0.14 status', ({ c }) => {
  const o = healthyObservation(c!);
  const withStatus = (status: object) => check({ ...o, scaleSet: { ...o.scaleSet!, status } }, 'arc.scale-set-running');
  assert.match(withStatus({ phase: 'Pending' }).detail, /phase Pending: the controller has not created the AutoscalingListener/);
  assert.match(withStatus({ phase: 'Outdated' }).detail, /phase Outdated/);
  assert.match(withStatus({ state: 'Running' }).detail, /pre-0\.14 field state=Running.*stale CRDs/);
  assert.is(withStatus({}).status, 'fail');
});

t('runner template with a PVC, the wrong hook, or no arch pin fails', ({ c }) => {
  const o = healthyObservation(c!);
  const ars = (spec: object) => ({ ...o, scaleSet: { ...o.scaleSet!, spec: { template: { spec } } } });
  const r = check(ars({ nodeSelector: {}, volumes: [{ name: 'work', ephemeral: {} }], containers: [{ name: 'runner', env: [{ name: 'ACTIONS_RUNNER_CONTAINER_HOOKS', value: '/home/runner/k8s/index.js' }] }] }), 'arc.runner-mode');
  assert.is(r.status, 'fail');
  assert.match(r.detail, /PVC volumes work.*\/home\/runner\/k8s\/index\.js.*kubernetes\.io\/arch is unset, not amd64/);
});

t('listener: missing AutoscalingListener, listener without pod, pending, not ready, crash-looping', ({ c }) => {
  const o = healthyObservation(c!);
  assert.match(check({ ...o, listeners: [], listenerPods: [] }, 'arc.listener-running').detail, /no AutoscalingListener for arc-runner-set-stateless in arc-systems/);
  assert.match(check({ ...o, listenerPods: [] }, 'arc.listener-running').detail, /AutoscalingListener arc-runner-set-stateless-754b578d-listener exists but has no pod/);
  const pending = check({ ...o, listenerPods: [listenerPod('l', { phase: 'Pending', containerStatuses: [] })] }, 'arc.listener-running');
  assert.match(pending.detail, /listener pod arc-systems\/l is Pending; check kubectl -n arc-systems describe pod l/);
  const notReady = check({ ...o, listenerPods: [listenerPod('l', { containerStatuses: [{ name: 'listener', ready: false, restartCount: 1, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { reason: 'Error', exitCode: 1 } } }] })] }, 'arc.listener-running');
  assert.is(notReady.status, 'fail');
  assert.match(notReady.detail, /container listener not ready \(CrashLoopBackOff\), last exit Error \(code 1\); kubectl -n arc-systems logs l -c listener --previous/);
  const flapping = check({ ...o, listenerPods: [listenerPod('l', { containerStatuses: [{ name: 'listener', ready: true, restartCount: 9, state: { running: {} }, lastState: { terminated: { reason: 'Error', exitCode: 1 } } }] })] }, 'arc.listener-running');
  assert.is(flapping.status, 'fail');
  assert.match(flapping.detail, /restarted 9 times, last exit Error \(code 1\).*ARC #4356/);
  const once = check({ ...o, listenerPods: [listenerPod('l', { containerStatuses: [{ name: 'listener', ready: true, restartCount: 1, state: { running: {} } }] })] }, 'arc.listener-running');
  assert.is(once.status, 'warn');
  const noContainer = check({ ...o, listenerPods: [listenerPod('l', { containerStatuses: [{ name: 'sidecar', ready: true, restartCount: 0, state: { running: {} } }] })] }, 'arc.listener-running');
  assert.match(noContainer.detail, /has no container named listener/);
});

t('runner pods: right arch passes, wrong arch and missing pin fail, none is fine unless minRunners > 0', ({ c }) => {
  const o = healthyObservation(c!);
  const nodeArch = { 'kwok-node-0': 'amd64', 'kwok-arm-0': 'arm64' };
  const good = check({ ...o, nodeArch, runnerPods: [runnerPod('r1', 'kwok-node-0'), runnerPod('r2', 'kwok-node-0')] }, 'arc.runners-arch');
  assert.equal([good.status, good.metrics], ['pass', { runners: 2 }]);
  const wrong = check({ ...o, nodeArch, runnerPods: [runnerPod('r1', 'kwok-node-0'), runnerPod('r3', 'kwok-arm-0')] }, 'arc.runners-arch');
  assert.is(wrong.status, 'fail');
  assert.equal(wrong.failing, ['r3']);
  assert.match(wrong.detail, /1 runner pod\(s\) on nodes that are not amd64: r3@kwok-arm-0\(arm64\)/);
  const unpinned = check({ ...o, nodeArch, runnerPods: [runnerPod('r4', 'kwok-node-0', 'arm64')] }, 'arc.runners-arch');
  assert.match(unpinned.detail, /without nodeSelector kubernetes\.io\/arch=amd64/);
  assert.is(check({ ...o, minRunners: 2 }, 'arc.runners-arch').status, 'warn');
});

t('CRDs: missing, stale (no status.phase), from another chart, unstamped', ({ c }) => {
  const o = healthyObservation(c!);
  const names = o.crds.map((x) => x.name);
  assert.match(check({ ...o, crds: names.map((n) => crdState(n, undefined)) }, 'arc.crds').detail, /CRDs missing/);
  const stale = arcCrds(fakeCrds({ phase: false }), '0.13.1').map((x) => crdState(x.metadata.name, x));
  const r = check({ ...o, crds: stale }, 'arc.crds');
  assert.is(r.status, 'fail');
  assert.match(r.detail, /stale CRDs: the AutoscalingRunnerSet schema has no status\.phase/);
  const other = arcCrds(fakeCrds(), '0.14.1').map((x) => crdState(x.metadata.name, x));
  assert.match(check({ ...o, crds: other }, 'arc.crds').detail, /another chart version than 0\.14\.2/);
  assert.is(check({ ...o, crds: fakeCrds().map((x) => crdState(x.metadata.name, x)) }, 'arc.crds').status, 'warn');
});

t('objects stuck on the cleanup finalizer are reported', ({ c }) => {
  const r = check({ ...healthyObservation(c!), stuck: ['Role/arc-runners/x-gha-rs-manager'] }, 'arc.no-stuck-finalizers');
  assert.is(r.status, 'warn');
  assert.match(r.detail, /only a running controller removes it/);
});

t.run();
