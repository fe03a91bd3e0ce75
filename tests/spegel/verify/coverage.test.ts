import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { everyNodeCheck, podHealthCheck, rolloutCheck } from '../../../packages/spegel/src/verify/coverage.ts';
import { daemonSet, node, pod } from '../helpers.ts';

const t = suite('spegel coverage verdicts');

t('rolled out: pass; half-updated, missing or zero-node DaemonSets fail with the reason', () => {
  assert.is(rolloutCheck(daemonSet({ desired: 3 }), 'spegel/spegel').status, 'pass');
  const half = rolloutCheck(daemonSet({ desired: 4, updated: 2 }), 'spegel/spegel');
  assert.is(half.status, 'fail');
  assert.match(half.detail, /2 of 4 nodes run the new pod template/);
  assert.match(rolloutCheck(undefined, 'spegel/spegel').detail, /not found: run `pnpm task spegel apply`/);
  assert.match(rolloutCheck(daemonSet({ desired: 0 }), 'spegel/spegel').detail, /schedules no pod/);
});

t('every eligible node, tainted ones included, has a Ready pod: pass', () => {
  const nodes = [node('a'), node('b', { taints: [{ key: 'dedicated', value: 'ci', effect: 'NoSchedule' }] }), node('c', { taints: [{ key: 'x', effect: 'NoExecute' }] })];
  const c = everyNodeCheck(daemonSet({ desired: 3 }), nodes, [pod('p1', 'a'), pod('p2', 'b'), pod('p3', 'c')]);
  assert.is(c.check.status, 'pass');
  assert.is(c.eligible.length, 3);
  assert.equal(c.check.metrics, { nodes: 3, skipped: 0 });
});

t('nodes without a pod or with an unready pod are named; NotReady nodes say so', () => {
  const nodes = [node('a'), node('b'), node('c', { ready: false }), node('d')];
  const c = everyNodeCheck(daemonSet({ desired: 4 }), nodes, [pod('p1', 'a'), pod('p3', 'c', { phase: 'Pending', ready: false }), pod('p4', 'd', { ready: false })]).check;
  assert.is(c.status, 'fail');
  assert.equal(c.failing, ['b', 'c', 'd']);
  assert.is(c.detail, '3 of 4 nodes lack a Ready Spegel pod: b (no Spegel pod), c (pod p3 not Ready (Pending); node NotReady), d (pod p4 not Ready (Running))');
});

t('without the every-node toleration, tainted and non-linux nodes are excluded, and said to be', () => {
  const ds = daemonSet({ desired: 1, tolerations: [] });
  const nodes = [node('a'), node('b', { taints: [{ key: 'gpu', effect: 'NoSchedule' }] }), node('w', { labels: { 'kubernetes.io/os': 'windows' } }), node('soft', { taints: [{ key: 's', effect: 'PreferNoSchedule' }] }), node('cordoned', { taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] })];
  const c = everyNodeCheck(ds, nodes, [pod('p1', 'a'), pod('p2', 'soft'), pod('p3', 'cordoned')]).check;
  assert.is(c.status, 'pass', c.detail);
  assert.match(c.detail, /all 3 eligible nodes .* 2 node\(s\) excluded by the DaemonSet's own rules: b \(taint gpu:NoSchedule\), w \(nodeSelector kubernetes.io\/os=linux\)/);
});

t('long failing lists are cut in the detail but complete in failing', () => {
  const nodes = Array.from({ length: 25 }, (_, i) => node(`n${String(i).padStart(2, '0')}`));
  const c = everyNodeCheck(daemonSet({ desired: 25 }), nodes, []).check;
  assert.is(c.failing!.length, 25);
  assert.match(c.detail, /and 15 more$/);
});

t('pod health: a failed configuration init container fails, registry restarts warn', () => {
  assert.is(podHealthCheck([pod('p1', 'a')]).status, 'pass');
  const init = podHealthCheck([pod('p1', 'a', { initExit: 1 }), pod('p2', 'b')]);
  assert.is(init.status, 'fail');
  assert.equal(init.failing, ['a']);
  const rs = podHealthCheck([pod('p1', 'a', { restarts: 2 })]);
  assert.is(rs.status, 'warn');
  assert.match(rs.detail, /a \(p1\): 2 restarts/);
});

t.run();
