import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CRD_CHART_VERSION_ANNOTATION, CRD_SPEC_HASH_ANNOTATION, arcCrds, changedCrds, crdMeta, crdState, servedPlurals, specHash } from '@stateless-ci/arc';
import { fakeCrd, fakeCrds } from './fixtures.ts';

const t = suite('arc CRDs');

t('the four CRDs are picked from the rendered chart and stamped with chart version and spec hash', () => {
  const rendered = [...fakeCrds(), { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'arc-gha-rs-controller' } }];
  const crds = arcCrds(rendered, '0.14.2');
  assert.is(crds.length, 4);
  for (const c of crds) {
    assert.is(c.metadata.annotations?.[CRD_CHART_VERSION_ANNOTATION], '0.14.2');
    assert.is(c.metadata.annotations?.[CRD_SPEC_HASH_ANNOTATION], specHash(c));
    assert.is(c.metadata.annotations?.['controller-gen.kubebuilder.io/version'], 'v0.20.1');
  }
});

t('a chart without the CRDs is an error naming them', () => {
  assert.throws(() => arcCrds(fakeCrds().slice(1), '0.14.2'), /rendered no CRD autoscalingrunnersets\.actions\.github\.com/);
});

t('the spec hash ignores key order but not content', () => {
  const a = fakeCrd('ephemeralrunners.actions.github.com');
  const spec = a.spec as Record<string, unknown>;
  const reordered = { ...a, spec: Object.fromEntries(Object.entries(spec).reverse()) };
  assert.is(specHash(a), specHash(reordered));
  assert.is.not(specHash(a), specHash(fakeCrd('ephemeralrunners.actions.github.com', { extra: 'changed' })));
});

t('live state: stamp, served, status.phase presence (0.13 CRDs have none)', () => {
  const [stamped] = arcCrds(fakeCrds(), '0.14.2').filter((c) => c.metadata.name.startsWith('autoscalingrunnersets.'));
  const s = crdState(stamped!.metadata.name, stamped);
  assert.equal({ present: s.present, chartVersion: s.chartVersion, served: s.served, hasPhase: s.hasPhase }, { present: true, chartVersion: '0.14.2', served: true, hasPhase: true });
  const old = crdState('autoscalingrunnersets.actions.github.com', fakeCrd('autoscalingrunnersets.actions.github.com', { phase: false }));
  assert.is(old.hasPhase, false);
  assert.is(old.chartVersion, undefined);
  assert.is(crdState('x', undefined).present, false);
  assert.is(crdState('ephemeralrunners.actions.github.com', fakeCrd('ephemeralrunners.actions.github.com')).hasPhase, undefined);
});

t('changed CRDs: absent, unstamped, different hash or terminating; unchanged when the stamp matches', () => {
  const want = arcCrds(fakeCrds(), '0.14.2');
  const same = want.map((c) => crdState(c.metadata.name, c));
  assert.equal(changedCrds(want, same), []);
  const older = arcCrds(fakeCrds({ phase: false }), '0.13.1').map((c) => crdState(c.metadata.name, c));
  assert.is(changedCrds(want, older).length, 4);
  const mixed = [crdState(want[0]!.metadata.name, undefined), crdState(want[1]!.metadata.name, fakeCrd(want[1]!.metadata.name)), ...same.slice(2)];
  assert.equal(changedCrds(want, mixed), [want[0]!.metadata.name, want[1]!.metadata.name]);
  const terminating = { ...want[2]!, metadata: { ...want[2]!.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } };
  assert.equal(changedCrds(want, [...same.slice(0, 2), crdState(want[2]!.metadata.name, terminating), same[3]!]), [want[2]!.metadata.name]);
});

t('metadata alone (PartialObjectMetadata) decides changes exactly as the full CRD does', () => {
  const want = arcCrds(fakeCrds(), '0.14.2');
  const metaOnly = (c: (typeof want)[number]) => ({ apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadata', metadata: c.metadata });
  const fromMeta = want.map((c) => crdMeta(c.metadata.name, metaOnly(c)));
  assert.equal(fromMeta, want.map((c) => crdMeta(c.metadata.name, c)));
  assert.equal(fromMeta[0], { name: want[0]!.metadata.name, present: true, chartVersion: '0.14.2', specHash: specHash(want[0]!), terminating: false });
  assert.equal(changedCrds(want, fromMeta), []);
  const older = arcCrds(fakeCrds({ phase: false }), '0.13.1');
  assert.is(changedCrds(want, older.map((c) => crdMeta(c.metadata.name, metaOnly(c)))).length, 4);
  assert.equal(crdMeta('x', undefined), { name: 'x', present: false, terminating: false });
});

t('served plurals are grouped by group/version, unserved versions left out', () => {
  const a = fakeCrd('ephemeralrunners.actions.github.com');
  const b = fakeCrd('ephemeralrunnersets.actions.github.com');
  const spec = b.spec as { versions: { name: string; served: boolean }[] };
  spec.versions.push({ ...spec.versions[0]!, name: 'v1alpha0', served: false });
  assert.equal([...servedPlurals([a, b])], [['actions.github.com/v1alpha1', ['ephemeralrunners', 'ephemeralrunnersets']]]);
});

t.run();
