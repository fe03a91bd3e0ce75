// Helm.once: the per-run memo for values derived from renders (no helm process is started), and
// Helm.keep: values derived from a render kept across runs (a script stands in for `helm template`).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdir } from 'node:fs/promises';
import { Helm, HelmRunCache, ManifestCache, TemplateCache, createShell, type KubeObject } from '@stateless-ci/core';

const t = suite<{ dir: string }>('Helm.once', { dir: '' });
t.before.each(async (c) => {
  c.dir = await mkdtemp(join(tmpdir(), 'helm-once-'));
});
t.after.each(async (c) => {
  await rm(c.dir, { recursive: true, force: true });
});

const sh = createShell({});

t('with a run cache: computed once per key, shared across Helm instances of the run, frozen', async (c) => {
  const cache = new HelmRunCache(c.dir);
  const a = new Helm(sh, {}, undefined, 'helm-not-run', cache);
  const b = new Helm(sh, {}, undefined, 'helm-not-run', cache);
  let n = 0;
  const compute = async () => ({ n: ++n, list: [{ x: 1 }] });
  const [v1, v2] = await Promise.all([a.once('k', compute), a.once('k', compute)]);
  const v3 = await b.once('k', compute);
  assert.is(n, 1);
  assert.ok(v1 === v2 && v2 === v3);
  assert.ok(Object.isFrozen(v1.list[0]));
  assert.is((await a.once('other', compute)).n, 2, 'another key computes');
  const other = new Helm(sh, {}, undefined, 'helm-not-run', new HelmRunCache(c.dir));
  assert.is((await other.once('k', compute)).n, 3, 'another run computes');
});

t('a failure is not kept: the next call computes again', async (c) => {
  const h = new Helm(sh, {}, undefined, 'helm-not-run', new HelmRunCache(c.dir));
  let n = 0;
  const flaky = async () => {
    if (++n === 1) throw new Error('transient');
    return n;
  };
  await h.once('k', flaky).then(
    () => assert.unreachable('first call should fail'),
    (e: Error) => assert.is(e.message, 'transient'),
  );
  assert.is(await h.once('k', flaky), 2);
  assert.is(await h.once('k', flaky), 2);
});

t('without a run cache: computed every time', async () => {
  const h = new Helm(sh);
  let n = 0;
  await h.once('k', async () => ++n);
  await h.once('k', async () => ++n);
  assert.is(n, 2);
});

t('parseManifests: parsed once per run, kept as JSON across runs, a copy for every caller', async (c) => {
  const doc = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\ndata:\n  v: "${'x'.repeat(100)}"\n`;
  const text = Array.from({ length: 40 }, (_, i) => doc(i)).join('---\n');
  assert.ok(text.length > 4096);
  const manifests = new ManifestCache(join(c.dir, 'manifests'));
  const run = new Helm(sh, {}, undefined, 'helm-not-run', new HelmRunCache(join(c.dir, 'run-1'), manifests));
  const a = await run.parseManifests(text, 'test');
  const b = await run.parseManifests(text, 'test');
  assert.is(a.length, 40);
  assert.equal(a, b);
  assert.ok(a[0] !== b[0], 'each caller its own copy');
  a[0]!.metadata.name = 'changed';
  assert.is((await run.parseManifests(text, 'test'))[0]!.metadata.name, 'cm-0');
  assert.equal((await readdir(join(c.dir, 'manifests'))).filter((f) => f.endsWith('.json')).length, 1, 'kept as JSON');
  const next = new Helm(sh, {}, undefined, 'helm-not-run', new HelmRunCache(join(c.dir, 'run-2'), manifests));
  assert.equal(await next.parseManifests(text, 'test'), b, 'the next run reads the same objects');
});

t('keep: kept across runs by the text of the render; a copy or another text computes again', async (c) => {
  const doc = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\ndata:\n  v: "${'x'.repeat(100)}"\n`;
  const render = join(c.dir, 'render.yaml');
  await writeFile(render, Array.from({ length: 40 }, (_, i) => doc(i)).join('---\n'));
  const fakeHelm = join(c.dir, 'fake-helm');
  await writeFile(fakeHelm, `#!/bin/sh\ncat '${render}'\n`, { mode: 0o755 });
  const manifests = new ManifestCache(join(c.dir, 'manifests'));
  const request = { release: 'r', namespace: 'ns', chart: { ref: join(c.dir, 'chart'), version: '1.0.0', plainHttp: false, mirrored: false }, values: {} };
  let n = 0;
  const count = (objects: readonly KubeObject[]) => ({ computed: ++n, objects: objects.length });
  const newRun = (name: string) => new Helm(sh, {}, undefined, fakeHelm, new HelmRunCache(join(c.dir, name), manifests));
  for (const name of ['run-1', 'run-2']) {
    const h = newRun(name);
    const objects = await h.templateObjectsFrozen(request, 'test');
    assert.equal(await h.keep('count v1', objects, () => count(objects)), { computed: 1, objects: 40 }, name);
  }
  const h3 = newRun('run-3');
  const copy = await h3.templateObjects(request, 'test');
  assert.is((await h3.keep('count v1', copy, () => count(copy))).computed, 2, 'a copy has no known text');
  await writeFile(render, Array.from({ length: 41 }, (_, i) => doc(i)).join('---\n'));
  const h = newRun('run-4');
  const changed = await h.templateObjectsFrozen(request, 'test');
  assert.equal(await h.keep('count v1', changed, () => count(changed)), { computed: 3, objects: 41 }, 'another text');
});

t('with the template cache: the next run gets the render parsed, with no helm process, and keeps derived values', async (c) => {
  const doc = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\n`;
  const render = join(c.dir, 'render.yaml');
  await writeFile(render, Array.from({ length: 3 }, (_, i) => doc(i)).join('---\n'));
  const calls = join(c.dir, 'calls');
  const fakeHelm = join(c.dir, 'fake-helm');
  await writeFile(fakeHelm, `#!/bin/sh\necho x >> '${calls}'\ncat '${render}'\n`, { mode: 0o755 });
  const archive = join(c.dir, 'chart-1.0.0.tgz');
  await writeFile(archive, 'not really a chart: only its SHA-256 is taken');
  const request = { release: 'r', namespace: 'ns', chart: { ref: archive, version: '1.0.0', plainHttp: false, mirrored: false }, values: { a: 1 } };
  const across = { manifests: new ManifestCache(join(c.dir, 'manifests')), renders: new TemplateCache(join(c.dir, 'templates'), Promise.resolve('fake-helm-1')) };
  const helmCalls = async () => (await readFile(calls, 'utf8').catch(() => '')).split('\n').filter(Boolean).length;
  let n = 0;
  for (const [name, wantCalls] of [['run-1', 2], ['run-2', 2]] as const) {
    const h = new Helm(sh, {}, undefined, fakeHelm, new HelmRunCache(join(c.dir, name), across.manifests, { renders: across.renders }));
    const [a, b] = await Promise.all([h.templateObjectsFrozen(request, 'test'), h.templateObjectsFrozen(request, 'test')]);
    assert.ok(a === b, 'once per run');
    assert.equal(a.map((o) => o.metadata.name), ['cm-0', 'cm-1', 'cm-2']);
    assert.is(await helmCalls(), wantCalls, `${name}: helm template runs (twice on a miss, to check the output is reproducible)`);
    assert.equal(await h.keep('names v1', a, () => ({ computed: ++n })), { computed: 1 }, name);
  }
  // The objects come from the JSON entry, not from the text: change the entry and see it.
  const [json] = (await readdir(join(c.dir, 'templates'))).filter((f) => f.endsWith('.json'));
  await writeFile(join(c.dir, 'templates', json!), JSON.stringify([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-json' } }]));
  const h = new Helm(sh, {}, undefined, fakeHelm, new HelmRunCache(join(c.dir, 'run-3'), across.manifests, { renders: across.renders }));
  assert.equal((await h.templateObjects(request, 'test')).map((o) => o.metadata.name), ['from-json']);
});

t.run();
