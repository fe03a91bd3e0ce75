import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Kube } from '@stateless-ci/core';
import { CRD_CHART_VERSION_ANNOTATION, CRD_SPEC_HASH_ANNOTATION, arcCrds, canonical, changedCrds, crdMeta, crdSpecHashes, crdState, servedPlurals, specHash, waitServed } from '@stateless-ci/arc';
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

t('kept spec hashes stamp exactly what hashing does; a kept value that is not a hash is ignored', () => {
  const rendered = fakeCrds();
  const hashes = crdSpecHashes(rendered);
  assert.equal(Object.keys(hashes).sort(), rendered.map((c) => c.metadata.name).sort());
  for (const crd of rendered) assert.is(hashes[crd.metadata.name], specHash(crd));
  assert.equal(arcCrds(rendered, '0.14.2', hashes), arcCrds(rendered, '0.14.2'));
  // The kept value is what gets stamped (this is what makes keeping it save the hashing).
  const [first] = rendered;
  const other = 'a'.repeat(64);
  const stamped = arcCrds(rendered, '0.14.2', { ...hashes, [first!.metadata.name]: other });
  assert.is(stamped.find((c) => c.metadata.name === first!.metadata.name)!.metadata.annotations![CRD_SPEC_HASH_ANNOTATION], other);
  // A damaged cache entry: missing names, wrong types, null. Each CRD is hashed instead.
  for (const bad of [{}, { [first!.metadata.name]: 42 }, { [first!.metadata.name]: 'not-a-hash' }, null]) {
    assert.equal(arcCrds(rendered, '0.14.2', bad as Record<string, unknown> | null), arcCrds(rendered, '0.14.2'));
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

/** The definition the stamped hashes were made with; `canonical` must produce exactly this. */
function definition(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(definition).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${definition((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Deterministic pseudo-random values with the awkward cases: escapes, lone surrogates, integer-like keys, holes. */
function randomValue(next: () => number, depth = 0): unknown {
  const strings = ['', 'a', 'é"\\\n\t', '\u0000\u001f', '\ud800', '10', '2', '__proto__', 'x-kubernetes-preserve-unknown-fields', '😀'];
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const r = next();
  if (depth > 4 || r < 0.35) return pick<unknown>([null, true, false, 0, -0, 1.5, -7, 1e21, 2 ** 53, Number.NaN, ...strings]);
  if (r < 0.55) return Array.from({ length: Math.floor(next() * 5) }, () => (next() < 0.1 ? undefined : randomValue(next, depth + 1)));
  return Object.fromEntries(Array.from({ length: Math.floor(next() * 6) }, () => [pick(strings) + pick(['', 'b', '1']), randomValue(next, depth + 1)]));
}

t('canonical is exactly the definition the stamped hashes were made with', () => {
  let seed = 42;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < 2000; i++) {
    const v = randomValue(next);
    assert.is(canonical(v), definition(v), JSON.stringify(v));
  }
  for (const crd of fakeCrds()) assert.is(canonical(crd.spec), definition(crd.spec));
  // Pinned: computed by the implementation that stamped existing clusters.
  assert.is(specHash(fakeCrd('autoscalingrunnersets.actions.github.com')), '0febadf050b2b870d4e28e397efcc23f9ec8def75a8b662268a41c4043b055ea');
  const odd = { apiVersion: 'x', kind: 'y', metadata: { name: 'n' }, spec: { b: [1, 'two', null, { z: true, a: -0 }], a: 'é"\\\n', '10': 1, '2': [] } };
  assert.is(specHash(odd), '5d0f0031fe5dd1ef7ea3f48866ba8385343e771de6254305016f8cc3eafe8fda');
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

t('waitServed polls every 100 ms until someone needs the CRDs, then at once and every 20 ms', async () => {
  const crd = fakeCrd('ephemeralrunners');
  let discoveries = 0;
  // Discovery lists the resource from the fourth look on.
  const kube = {
    raw: async (_m: string, path: string) =>
      path.endsWith('/v1alpha1') ? (++discoveries >= 4 ? { status: 200, body: JSON.stringify({ resources: [{ name: 'ephemeralrunners' }] }) } : { status: 404, body: '' }) : { status: 200, body: '{}' },
  } as unknown as Kube;
  const pauses: number[] = [];
  let markNeeded!: () => void;
  const needed = new Promise<void>((r) => (markNeeded = r));
  const sleep = (ms: number) => {
    pauses.push(ms);
    // The first 100 ms pause is where the deploy reaches ARC's turn; it must not be sat out.
    if (pauses.length === 1) {
      markNeeded();
      return new Promise<void>((r) => setTimeout(r, 1000).unref());
    }
    return Promise.resolve();
  };
  await waitServed(kube, [crd], { sleep, needed });
  assert.equal(pauses, [100, 20, 20]);
  assert.is(discoveries, 4);
});

t.run();
