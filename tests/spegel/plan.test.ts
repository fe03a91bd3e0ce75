import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { KubeObject } from '@stateless-ci/core';
import { planChanges, type DesiredRelease } from '../../packages/spegel/src/plan.ts';

const t = suite('spegel plan');
const obj = (kind: string, name: string, spec: unknown = {}): KubeObject => ({ apiVersion: 'v1', kind, metadata: { name, namespace: 'spegel' }, spec });
const desired = (o: Partial<DesiredRelease> = {}): DesiredRelease => ({
  release: 'spegel',
  namespace: 'spegel',
  chart: 'spegel-0.7.4',
  values: { spegel: { logLevel: 'INFO' } },
  objects: [obj('DaemonSet', 'spegel', { args: ['--log-level=INFO'] }), obj('Service', 'spegel-registry')],
  namespaceExists: true,
  ...o,
});

t('not installed: namespace, release and every object are creates', () => {
  const p = planChanges(desired({ namespaceExists: false }), undefined);
  assert.equal(p.changes.map((c) => `${c.kind} ${c.object}`), ['create Namespace/spegel', 'create helm release spegel/spegel', 'create DaemonSet/spegel/spegel', 'create Service/spegel/spegel-registry']);
});

t('installed and equal: nothing changes', () => {
  const d = desired();
  const p = planChanges(d, { revision: 3, status: 'deployed', chart: 'spegel-0.7.4', values: d.values, objects: d.objects });
  assert.ok(p.changes.every((c) => c.kind === 'unchanged'));
  assert.equal(p.notes, []);
});

t('a values change updates the release and the DaemonSet, with field diffs; removed objects are deletes', () => {
  const live = { revision: 3, status: 'deployed', chart: 'spegel-0.7.3', values: { spegel: { logLevel: 'DEBUG' } }, objects: [obj('DaemonSet', 'spegel', { args: ['--log-level=DEBUG'] }), obj('Service', 'spegel-registry'), obj('Service', 'old')] };
  const p = planChanges(desired(), live);
  const rel = p.changes.find((c) => c.object === 'helm release spegel/spegel')!;
  assert.is(rel.kind, 'update');
  assert.equal(rel.diff, ['- chart: spegel-0.7.3', '+ chart: spegel-0.7.4', '- spegel.logLevel: "DEBUG"', '+ spegel.logLevel: "INFO"']);
  const ds = p.changes.find((c) => c.object === 'DaemonSet/spegel/spegel')!;
  assert.equal(ds.diff, ['- spec.args[0]: "--log-level=DEBUG"', '+ spec.args[0]: "--log-level=INFO"']);
  assert.ok(p.changes.some((c) => c.kind === 'delete' && c.object === 'Service/spegel/old'));
  assert.match(p.notes.join('\n'), /pods restart node by node/);
});

t('a failed release is an update with a note even when values match', () => {
  const d = desired();
  const p = planChanges(d, { revision: 4, status: 'failed', chart: 'spegel-0.7.4', values: d.values, objects: d.objects });
  assert.is(p.changes.find((c) => c.object.startsWith('helm release'))!.kind, 'update');
  assert.match(p.notes[0]!, /state "failed" \(revision 4\)/);
});

t.run();
