import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseReference, type ManifestHead, type Reference } from '@stateless-ci/core';
import { EarlyHeads } from '../../../packages/verify/src/freshness/early-heads.ts';
import { limiter } from '../../../packages/verify/src/freshness/pool.ts';
import type { RegistryReader } from '../../../packages/verify/src/freshness/resolve-refs.ts';

const t = suite('early HEADs (while pods are listed)');

const head = (digest: string): ManifestHead => ({ digest, mediaType: 'application/vnd.oci.image.index.v1+json', size: 1, rateLimit: {} });

/** A registry that records HEADs and can fail the first HEAD of chosen repositories. */
function fakeRegistry(failFirst: readonly string[] = []): RegistryReader & { heads: string[]; peak: number } {
  const failed = new Set<string>();
  let active = 0;
  const r = {
    heads: [] as string[],
    peak: 0,
    async headManifest(ref: Reference) {
      r.heads.push(`${ref.repository}:${ref.tag}`);
      active++;
      r.peak = Math.max(r.peak, active);
      await new Promise((res) => setTimeout(res, 2));
      active--;
      if (failFirst.includes(ref.repository) && !failed.has(ref.repository)) {
        failed.add(ref.repository);
        throw Object.assign(new Error('401'), { status: 401 });
      }
      return head(`sha256:${ref.repository.length}`);
    },
    getManifest: () => Promise.reject(new Error('not used')),
    getBlob: () => Promise.reject(new Error('not used')),
  };
  return r;
}

t('each ref offered is HEADed once, however often it is offered, and the resolver reuses the answer', async () => {
  const reg = fakeRegistry();
  const early = new EarlyHeads(reg, limiter(8), () => 1234);
  for (const k of ['r.io/a:1', 'r.io/b:1', 'r.io/a:1', 'r.io/a:1']) early.offer(k);
  assert.is(early.started, 2);
  assert.is(early.firstStartedAt, 1234, 'the check clock, not the wall clock');
  const reader = early.reader();
  assert.equal((await reader.headManifest(parseReference('r.io/a:1'))).digest, 'sha256:1');
  assert.equal((await reader.headManifest(parseReference('r.io/b:1'))).digest, 'sha256:1');
  assert.equal(reg.heads.sort(), ['a:1', 'b:1']);
});

t('a failed early HEAD is not used: the resolver asks again; refs never offered are asked on demand', async () => {
  const reg = fakeRegistry(['private']);
  const early = new EarlyHeads(reg, limiter(8));
  early.offer('r.io/private:1');
  const reader = early.reader();
  assert.is((await reader.headManifest(parseReference('r.io/private:1'))).digest, 'sha256:7');
  assert.is((await reader.headManifest(parseReference('r.io/late:2'))).digest, 'sha256:4');
  assert.equal(reg.heads, ['private:1', 'private:1', 'late:2']);
});

t('early and on-demand HEADs share one pool', async () => {
  const reg = fakeRegistry();
  const early = new EarlyHeads(reg, limiter(3));
  for (let i = 0; i < 10; i++) early.offer(`r.io/e${i}:1`);
  const reader = early.reader();
  await Promise.all(Array.from({ length: 10 }, (_, i) => reader.headManifest(parseReference(`r.io/d${i}:1`))));
  assert.is(reg.heads.length, 20);
  assert.is(reg.peak, 3);
});

t('nothing offered: no first start time, nothing started', () => {
  const early = new EarlyHeads(fakeRegistry(), limiter(2));
  early.offer('not a valid reference!!');
  assert.is(early.started, 0);
  assert.is(early.firstStartedAt, undefined);
});

t.run();
