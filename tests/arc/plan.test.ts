import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { arcCrds, arcNames, controllerValues, crdState, decide, scaleSetValues, toPlan, type ArcDesired, type ArcLive } from '@stateless-ci/arc';
import type { ClusterConfig } from '@stateless-ci/core';
import { fakeCrds, loadTestCluster } from './fixtures.ts';

const t = suite<{ c?: ClusterConfig }>('arc plan and upgrade-path decision');
t.before(async (ctx) => {
  ctx.c = await loadTestCluster('theia-prod');
});

const desired = (c: ClusterConfig, version = '0.14.2'): ArcDesired => ({
  controllerVersion: version,
  scaleSetVersion: version,
  controllerValues: JSON.parse(JSON.stringify(controllerValues(c))),
  scaleSetValues: JSON.parse(JSON.stringify(scaleSetValues(c))),
  crds: arcCrds(fakeCrds({ phase: version !== '0.13.1' }), version),
});

/** What the cluster looks like after this tool installed `d`. */
const installed = (d: ArcDesired, extra: Partial<ArcLive> = {}): ArcLive => ({
  controller: { version: d.controllerVersion, revision: 1, status: 'deployed', values: d.controllerValues },
  scaleSet: { version: d.scaleSetVersion, revision: 1, status: 'deployed', values: d.scaleSetValues },
  crds: d.crds.map((x) => crdState(x.metadata.name, x)),
  otherScaleSets: [],
  ...extra,
});
const empty: ArcLive = { crds: fakeCrds().map((x) => crdState(x.metadata.name, undefined)), otherScaleSets: [] };

t('fresh cluster: install everything, CRDs first', ({ c }) => {
  const want = desired(c!);
  const d = decide(empty, want, 'absent');
  assert.is(d.path, 'install');
  assert.equal([d.controller, d.scaleSet, d.secret], ['install', 'install', 'absent']);
  assert.is(d.crds.length, 4);
  const plan = toPlan(d, empty, want, arcNames(c!));
  assert.equal(plan.changes.map((x) => x.kind), ['create', 'create', 'create', 'create', 'create', 'create', 'create']);
  assert.match(plan.changes[0]!.object, /^CustomResourceDefinition\//);
  assert.is(plan.changes.at(-1)!.object, 'helm release arc-runners/arc-runner-set-stateless');
  assert.equal(plan.notes, []);
});

t('same versions, values and Secret: nothing to change', ({ c }) => {
  const want = desired(c!);
  const d = decide(installed(want), want, 'same');
  assert.is(d.path, 'unchanged');
  assert.ok(toPlan(d, installed(want), want, arcNames(c!)).changes.every((x) => x.kind === 'unchanged'));
});

t('a changed maxRunners is an in-place helm upgrade of the scale set only, with a values diff', ({ c }) => {
  const before = desired(c!);
  const live = installed(before);
  const want = { ...before, scaleSetValues: { ...(before.scaleSetValues as object), maxRunners: 4 } };
  const d = decide(live, want, 'same');
  assert.is(d.path, 'in-place');
  assert.equal([d.controller, d.scaleSet], ['unchanged', 'upgrade']);
  const set = toPlan(d, live, want, arcNames(c!)).changes.find((x) => x.object.endsWith('arc-runner-set-stateless'));
  assert.equal(set?.diff, ['- maxRunners: 10', '+ maxRunners: 4']);
});

t('rotated credentials update only the Secret, and the plan never shows values', ({ c }) => {
  const want = desired(c!);
  const d = decide(installed(want), want, 'different');
  assert.is(d.path, 'in-place');
  const plan = toPlan(d, installed(want), want, arcNames(c!));
  const s = plan.changes.find((x) => x.object.startsWith('Secret/'));
  assert.equal(s, { kind: 'update', object: 'Secret/arc-runners/arc-runner-set-stateless-github-config', diff: ['GitHub credentials (values not shown)'] });
});

t('controller 0.13.1 → 0.14.2: the documented path, shown first, never silent', ({ c }) => {
  const old = desired(c!, '0.13.1');
  const want = desired(c!);
  const live = installed(old);
  const d = decide(live, want, 'same');
  assert.is(d.path, 'documented-upgrade');
  assert.equal(d.reasons[0], 'controller chart 0.13.1 → 0.14.2');
  assert.match(d.reasons[1]!, /^CRDs changed: /);
  const plan = toPlan(d, live, want, arcNames(c!));
  assert.match(plan.notes[0]!, /ARC upgrade \(controller chart 0\.13\.1 → 0\.14\.2; CRDs changed.*documented path.*1\) uninstall scale set arc-runner-set-stateless.*2\) uninstall controller arc.*3\) replace the 4 actions\.github\.com CRDs \(delete, then create\).*4\) reinstall/);
  assert.is(plan.notes[1], 'scale-set values preserved: arc-runner-set-stateless comes back with the same values');
  assert.equal(
    plan.changes.map((x) => `${x.kind} ${x.object}`).slice(0, 3),
    ['delete helm release arc-runners/arc-runner-set-stateless', 'delete helm release arc-systems/arc', 'update CustomResourceDefinition/autoscalingrunnersets.actions.github.com'],
  );
  assert.equal(plan.changes.at(-1), { kind: 'create', object: 'helm release arc-runners/arc-runner-set-stateless', diff: ['- chart: 0.13.1', '+ chart: 0.14.2'] });
});

t('stamped CRDs that changed under the same controller version also take the documented path', ({ c }) => {
  const want = desired(c!);
  const live = installed(want, { crds: arcCrds(fakeCrds({ extra: 'older build' }), '0.14.2').map((x) => crdState(x.metadata.name, x)) });
  const d = decide(live, want, 'same');
  assert.is(d.path, 'documented-upgrade');
  assert.equal(d.reasons, [`CRDs changed: ${want.crds.map((x) => x.metadata.name).join(', ')}`]);
});

t('unstamped CRDs under the same controller version are adopted in place, not reinstalled', ({ c }) => {
  const want = desired(c!);
  const live = installed(want, { crds: fakeCrds().map((x) => crdState(x.metadata.name, x)) });
  const d = decide(live, want, 'same');
  assert.is(d.path, 'in-place');
  assert.is(d.crds.length, 4);
  assert.equal([d.controller, d.scaleSet], ['unchanged', 'unchanged']);
});

t('other scale sets in the cluster block the documented path (CRD replacement would delete them)', ({ c }) => {
  const live = installed(desired(c!, '0.13.1'), { otherScaleSets: ['team-b/runners-b'] });
  const want = desired(c!);
  const d = decide(live, want, 'same');
  assert.match(d.blockers[0]!, /team-b\/runners-b/);
  assert.match(toPlan(d, live, want, arcNames(c!)).notes[0]!, /^REFUSED: /);
});

t('a failed release is upgraded again', ({ c }) => {
  const want = desired(c!);
  const live = installed(want);
  const d = decide({ ...live, scaleSet: { ...live.scaleSet!, status: 'failed' } }, want, 'same');
  assert.equal([d.path, d.scaleSet], ['in-place', 'upgrade']);
});

t.run();
