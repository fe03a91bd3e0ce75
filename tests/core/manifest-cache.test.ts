import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ManifestCache, manifestCacheFor, parseManifests, stringifyManifests } from '@stateless-ci/core';

const t = suite<{ dir: string }>('manifest cache (disk, content-addressed)');
t.before.each(async (c) => {
  c.dir = await mkdtemp(path.join(tmpdir(), 'manifest-cache-'));
});
t.after.each(async (c) => {
  await rm(c.dir, { recursive: true, force: true });
});

const text = stringifyManifests([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'v'.repeat(100) } }]);

t('a large text is parsed once, then served from disk with the same objects', async ({ dir }) => {
  const cache = new ManifestCache(dir, 10);
  const first = (await cache.parse(text, 'test')).objects;
  assert.equal(first, parseManifests(text, 'test'));
  const files = await readdir(dir);
  assert.is(files.length, 1);
  assert.match(files[0]!, /^[0-9a-f]{64}\.json$/);
  // Prove the second answer comes from the file: change the entry and read it back.
  await writeFile(path.join(dir, files[0]!), JSON.stringify([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-disk' } }]));
  assert.is((await cache.parse(text, 'test')).objects[0]!.metadata.name, 'from-disk');
});

t('small texts are not cached; a corrupt entry is parsed again and rewritten', async ({ dir }) => {
  await new ManifestCache(dir, 1 << 20).parse(text, 'test');
  assert.equal(await readdir(dir), []);
  const cache = new ManifestCache(dir, 10);
  await cache.parse(text, 'test');
  const [file] = await readdir(dir);
  await writeFile(path.join(dir, file!), '{ not json');
  assert.equal((await cache.parse(text, 'test')).objects, parseManifests(text, 'test'));
  assert.equal(JSON.parse(await readFile(path.join(dir, file!), 'utf8')), parseManifests(text, 'test'));
});

t('invalid YAML still fails with the source named, and caches nothing', async ({ dir }) => {
  const cache = new ManifestCache(dir, 1);
  const error = await cache.parse('a: [', 'chart x').then(() => 'parsed', (e: Error) => e.message);
  assert.match(error, /chart x: invalid YAML/);
  assert.equal(await readdir(dir), []);
});

t('the digest of a cached text comes with its objects; small texts have none', async ({ dir }) => {
  const cache = new ManifestCache(dir, 10);
  const { objects, digest } = await cache.parse(text, 'test');
  assert.equal(objects, parseManifests(text, 'test'));
  assert.equal(await readdir(dir), [`${digest}.json`]);
  assert.is((await new ManifestCache(dir, 1 << 20).parse(text, 'test')).digest, undefined);
});

t('derived values: computed once per name and digest, then read from disk; a damaged entry is computed again', async ({ dir }) => {
  const cache = new ManifestCache(dir, 10);
  let n = 0;
  const compute = () => ({ n: ++n });
  assert.equal(await cache.derived('sum v1', 'd1', compute), { n: 1 });
  assert.equal(await cache.derived('sum v1', 'd1', compute), { n: 1 }, 'read back, not computed');
  assert.equal(await cache.derived('sum v2', 'd1', compute), { n: 2 }, 'another name computes');
  assert.equal(await cache.derived('sum v1', 'd2', compute), { n: 3 }, 'another digest computes');
  const files = await readdir(path.join(dir, 'derived'));
  assert.is(files.length, 3);
  for (const f of files) await writeFile(path.join(dir, 'derived', f), '{ not json');
  assert.equal(await cache.derived('sum v1', 'd1', compute), { n: 4 });
  assert.equal(await cache.derived('sum v1', 'd1', compute), { n: 4 }, 'rewritten');
});

t('the directory follows STATELESS_CI_CACHE_DIR, XDG_CACHE_HOME, HOME; "off" disables', () => {
  assert.is(manifestCacheFor({ STATELESS_CI_CACHE_DIR: '/c' })?.dir, '/c/manifests');
  assert.is(manifestCacheFor({ XDG_CACHE_HOME: '/x', HOME: '/h' })?.dir, '/x/stateless-ci/manifests');
  assert.is(manifestCacheFor({ HOME: '/h' })?.dir, '/h/.cache/stateless-ci/manifests');
  assert.is(manifestCacheFor({ STATELESS_CI_CACHE_DIR: 'off' }), undefined);
});

t.run();
