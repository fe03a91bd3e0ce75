// The template cache on a temporary directory with counted renders: a miss renders twice and
// stores agreeing renders; a hit renders nothing; disagreeing renders or an unknown helm binary
// store nothing; every input is part of the key.
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TemplateCache, binaryIdentity, type TemplateKey } from '@stateless-ci/core';

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
