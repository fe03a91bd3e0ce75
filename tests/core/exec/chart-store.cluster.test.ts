// Charts and `helm template` output kept across runs, against the harness registry and the real
// helm CLI: a warm run asks the registry one manifest GET per chart and starts no helm process; a
// re-pushed tag is noticed; a chart whose render is not reproducible is never stored.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ChartStore, Helm, HelmRunCache, RegistryClient, TemplateCache, binaryIdentity, createShell, type ResolvedSource } from '@stateless-ci/core';
import { closeHarness, cliOk, openHarness, type Fixture } from '../../harness/fixture.ts';

interface Ctx {
  f?: Fixture;
  tmp?: string;
  repo?: string;
  env?: NodeJS.ProcessEnv;
}
const t = suite<Ctx>('chart store and template cache');

t.before(async (c) => {
  c.f = await openHarness();
  c.tmp = await mkdtemp(join(tmpdir(), 'chart-store-'));
  c.repo = `oci://${c.f.h.registry}/chart-store-${process.pid}`;
  c.env = { ...process.env, ...c.f.h.env() };
});

t.after(async (c) => {
  if (c.tmp) await rm(c.tmp, { recursive: true, force: true });
  await closeHarness(c.f);
});

/** Packages and pushes a one-template chart; returns its archive's sha256. */
async function push(c: Ctx, name: string, version: string, template: string): Promise<string> {
  const dir = join(c.tmp!, `src-${name}-${Math.random().toString(36).slice(2)}`);
  await mkdir(join(dir, name, 'templates'), { recursive: true });
  await writeFile(join(dir, name, 'Chart.yaml'), `apiVersion: v2\nname: ${name}\nversion: ${version}\n`);
  await writeFile(join(dir, name, 'templates', 'cm.yaml'), template);
  await cliOk(c.f!.h, ['helm', 'package', join(dir, name), '--destination', dir]);
  const tgz = join(dir, `${name}-${version}.tgz`);
  await cliOk(c.f!.h, ['helm', 'push', tgz, c.repo!, '--plain-http']);
  return createHash('sha256').update(await readFile(tgz)).digest('hex');
}

function counted(): { registryFor: (plain: boolean) => RegistryClient; requests: string[] } {
  const requests: string[] = [];
  return { requests, registryFor: (plain) => new RegistryClient({ plainHttp: () => plain, onRequest: (m, url) => requests.push(`${m} ${new URL(url).pathname.replace(/.*\/(manifests|blobs)\//, '$1/')}`) }) };
}

async function rejects(p: Promise<unknown>, pattern?: RegExp): Promise<void> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  assert.instance(err, Error, 'expected a rejection');
  if (pattern) assert.match((err as Error).message, pattern);
}

const source = (c: Ctx, name: string, version: string): ResolvedSource => ({ ref: `${c.repo}/${name}`, version, plainHttp: true, mirrored: false });
const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  v: {{ .Values.v | quote }}\n';

t('a stored chart costs one manifest GET; a re-pushed tag is downloaded again', async (c) => {
  const first = await push(c, 'stored', '1.0.0', CM);
  const dir = join(c.tmp!, 'store-1');
  const k = counted();
  const store = new ChartStore(dir, k.registryFor);
  const a = await store.fetch(source(c, 'stored', '1.0.0'));
  assert.is(a.digest, `sha256:${first}`);
  assert.is(createHash('sha256').update(await readFile(a.path)).digest('hex'), first, 'the archive on disk is the pushed one');
  assert.ok(k.requests.some((r) => r.startsWith('GET blobs/')), 'first fetch downloads the archive');
  k.requests.length = 0;
  const b = await new ChartStore(dir, k.registryFor).fetch(source(c, 'stored', '1.0.0'));
  assert.is(b.path, a.path);
  assert.equal(k.requests, ['GET manifests/1.0.0'], 'second fetch: only the manifest');
  const second = await push(c, 'stored', '1.0.0', CM.replace('v:', 'w:'));
  assert.is.not(second, first);
  const re = await new ChartStore(dir, k.registryFor).fetch(source(c, 'stored', '1.0.0'));
  assert.is(re.digest, `sha256:${second}`, 'a re-pushed tag is noticed');
  assert.is((await readdir(dir)).filter((f) => f.endsWith('.tgz')).length, 2);
});

t('a registry it cannot read is an error (helm pull takes over)', async (c) => {
  const store = new ChartStore(join(c.tmp!, 'store-2'));
  await rejects(store.fetch({ ref: 'oci://127.0.0.1:1/nowhere/chart', version: '1.0.0', plainHttp: true, mirrored: false }));
  await rejects(store.fetch({ ref: join(c.tmp!, 'local-dir'), version: '1.0.0', plainHttp: false, mirrored: false }), /not an OCI chart/);
});

function helmFor(c: Ctx, root: string, binary = 'helm'): Helm {
  const cache = new HelmRunCache(join(c.tmp!, `run-${Math.random().toString(36).slice(2)}`), undefined, {
    charts: new ChartStore(join(root, 'charts')),
    renders: new TemplateCache(join(root, 'templates'), binaryIdentity('helm', c.env!)),
  });
  return new Helm(createShell(c.env), {}, undefined, binary, cache);
}

t('a warm run renders from the caches without starting helm', async (c) => {
  await push(c, 'warm', '2.0.0', CM);
  const root = join(c.tmp!, 'caches-warm');
  const opts = { release: 'demo', namespace: 'ns1', chart: source(c, 'warm', '2.0.0'), values: { v: 'x' } };
  const cold = await helmFor(c, root).template(opts);
  assert.match(cold, /name: demo/);
  // The same inputs in a new run, with a helm binary that does not exist: nothing may run it.
  const warm = await helmFor(c, root, 'helm-that-does-not-exist').template(opts);
  assert.is(warm, cold);
  // Other values are another key: the missing binary is then needed, and fails.
  await rejects(helmFor(c, root, 'helm-that-does-not-exist').template({ ...opts, values: { v: 'y' } }));
});

t('parsed renders: templateObjects copies per caller, templateObjectsFrozen shares one frozen parse per run', async (c) => {
  await push(c, 'parsed', '4.0.0', CM);
  const helm = helmFor(c, join(c.tmp!, 'caches-parsed'));
  const opts = { release: 'demo', namespace: 'ns1', chart: source(c, 'parsed', '4.0.0'), values: { v: 'x' } };
  const [a, b] = await Promise.all([helm.templateObjectsFrozen(opts, 'test'), helm.templateObjectsFrozen(opts, 'test')]);
  assert.ok(a === b, 'one parse shared');
  assert.ok(Object.isFrozen(a[0]!.metadata), 'frozen deeply');
  assert.is(a[0]!.metadata.name, 'demo');
  const copy = await helm.templateObjects(opts, 'test');
  assert.ok(copy[0] !== a[0] && !Object.isFrozen(copy[0]!.metadata), 'templateObjects gives a copy of its own');
  copy[0]!.metadata.name = 'changed';
  assert.is((await helm.templateObjectsFrozen(opts, 'test'))[0]!.metadata.name, 'demo');
});

t('a render that is not reproducible is never stored', async (c) => {
  await push(c, 'random', '3.0.0', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: r\ndata:\n  v: {{ randAlphaNum 16 | quote }}\n');
  const root = join(c.tmp!, 'caches-random');
  const opts = { release: 'demo', namespace: 'ns1', chart: source(c, 'random', '3.0.0'), values: {} };
  const a = await helmFor(c, root).template(opts);
  const b = await helmFor(c, root).template(opts);
  assert.is.not(a, b, 'each run renders afresh');
  const stored = await readdir(join(root, 'templates')).catch(() => [] as string[]);
  assert.equal(stored.filter((f) => f.endsWith('.yaml')), []);
});

t.run();
