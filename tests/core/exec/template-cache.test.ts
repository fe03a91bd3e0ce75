// The template cache on a temporary directory with counted renders: a miss renders twice and
// stores agreeing renders; a hit renders nothing; disagreeing renders or an unknown helm binary
// store nothing; every input is part of the key.
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TemplateCache, binaryIdentity, parseManifests, type KubeObject, type TemplateKey } from '@stateless-ci/core';

const t = suite<{ dir: string }>('template cache', { dir: '' });
t.before.each(async (c) => {
  c.dir = await mkdtemp(join(tmpdir(), 'template-cache-'));
});
t.after.each(async (c) => {
  await rm(c.dir, { recursive: true, force: true });
});

const KEY: TemplateKey = { chartSha256: 'a'.repeat(64), args: ['template', 'demo', '--namespace', 'ns'], values: 'v: 1\n' };
function counter(outputs: () => string): { calls: () => number; render: () => Promise<string> } {
  let n = 0;
  return { calls: () => n, render: async () => (n++, outputs()) };
}

t('a miss renders twice and stores; the next run renders nothing', async (c) => {
  const r = counter(() => 'kind: ConfigMap\n');
  assert.is(await new TemplateCache(c.dir, Promise.resolve('helm-1')).render(KEY, r.render), 'kind: ConfigMap\n');
  assert.is(r.calls(), 2);
  assert.is(await new TemplateCache(c.dir, Promise.resolve('helm-1')).render(KEY, r.render), 'kind: ConfigMap\n');
  assert.is(r.calls(), 2, 'hit');
  const [file] = await readdir(c.dir);
  assert.is((await stat(join(c.dir, file!))).mode & 0o777, 0o600);
});

function parser(): { calls: () => number; parse: (text: string) => Promise<KubeObject[]> } {
  let n = 0;
  return { calls: () => n, parse: async (text: string) => (n++, parseManifests(text, 'test')) };
}

t('parsed: a stored render is kept as JSON too; the next run neither renders nor parses', async (c) => {
  const r = counter(() => 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n');
  const p = parser();
  const first = await new TemplateCache(c.dir, Promise.resolve('helm-1')).parsed(KEY, r.render, p.parse);
  assert.is(first.objects[0]!.metadata.name, 'a');
  assert.match(first.digest ?? '', /^template-[0-9a-f]{64}$/);
  assert.equal([r.calls(), p.calls()], [2, 1]);
  const files = (await readdir(c.dir)).sort();
  assert.equal(files.map((f) => f.slice(64)), ['.json', '.yaml']);
  // Prove the next answer comes from the JSON entry: change it and read it back.
  await writeFile(join(c.dir, files[0]!), JSON.stringify([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-json' } }]));
  const next = await new TemplateCache(c.dir, Promise.resolve('helm-1')).parsed(KEY, r.render, p.parse);
  assert.is(next.objects[0]!.metadata.name, 'from-json');
  assert.is(next.digest, first.digest);
  assert.equal([r.calls(), p.calls()], [2, 1]);
  // A damaged JSON entry: the stored text is parsed again (no render) and the entry rewritten.
  await writeFile(join(c.dir, files[0]!), '{ not json');
  assert.is((await new TemplateCache(c.dir, Promise.resolve('helm-1')).parsed(KEY, r.render, p.parse)).objects[0]!.metadata.name, 'a');
  assert.equal([r.calls(), p.calls()], [2, 2]);
  assert.is((await new TemplateCache(c.dir, Promise.resolve('helm-1')).parsed(KEY, r.render, p.parse)).objects[0]!.metadata.name, 'a');
  assert.equal([r.calls(), p.calls()], [2, 2]);
});

t('parsed: renders that disagree get no entry and no digest', async (c) => {
  let i = 0;
  const r = counter(() => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: random-${i++}\n`);
  const p = parser();
  const cache = new TemplateCache(c.dir, Promise.resolve('helm-1'));
  const a = await cache.parsed(KEY, r.render, p.parse);
  const b = await cache.parsed(KEY, r.render, p.parse);
  assert.is(a.digest, undefined);
  assert.is.not(a.objects[0]!.metadata.name, b.objects[0]!.metadata.name);
  assert.equal(await readdir(c.dir).catch(() => []), []);
});

t('every input is part of the key', async (c) => {
  const r = counter(() => 'x\n');
  await new TemplateCache(c.dir, Promise.resolve('helm-1')).render(KEY, r.render);
  for (const [k, helm] of [
    [{ ...KEY, chartSha256: 'b'.repeat(64) }, 'helm-1'],
    [{ ...KEY, args: [...KEY.args, '--include-crds'] }, 'helm-1'],
    [{ ...KEY, values: 'v: 2\n' }, 'helm-1'],
    [KEY, 'helm-2'],
  ] as const) {
    const before = r.calls();
    await new TemplateCache(c.dir, Promise.resolve(helm)).render(k, r.render);
    assert.is(r.calls(), before + 2, JSON.stringify(k) + helm);
  }
});

t('renders that disagree are returned but never stored', async (c) => {
  let i = 0;
  const r = counter(() => `random: ${i++}\n`);
  const cache = new TemplateCache(c.dir, Promise.resolve('helm-1'));
  assert.is(await cache.render(KEY, r.render), 'random: 0\n');
  assert.is(await cache.render(KEY, r.render), 'random: 2\n');
  assert.equal(await readdir(c.dir).catch(() => []), []);
});

t('without a helm identity nothing is cached', async (c) => {
  const r = counter(() => 'x\n');
  const cache = new TemplateCache(c.dir, Promise.resolve(undefined));
  await cache.render(KEY, r.render);
  await cache.render(KEY, r.render);
  assert.is(r.calls(), 2, 'one render per call, no double render');
  assert.is(await binaryIdentity('no-such-binary-here', { PATH: '/usr/bin:/bin' }), undefined);
  assert.match((await binaryIdentity('sh', { PATH: '/usr/bin:/bin' })) ?? '', /^\/(usr\/)?bin\/sh:\d+:/);
});

t.run();
