// Helm.once: the per-run memo for values derived from renders (no helm process is started).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Helm, HelmRunCache, createShell } from '@stateless-ci/core';

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

t.run();
