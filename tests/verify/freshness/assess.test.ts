import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { assess, formatAge } from '../../../packages/verify/src/freshness/assess.ts';
import { imageUses } from '../../../packages/verify/src/freshness/pod-images.ts';
import type { RefResolution } from '../../../packages/verify/src/freshness/types.ts';
import { dg, pod } from './_fixtures.ts';

const t = suite('assess');
const OLD = dg('old');
const NEW = dg('new');
const NOW = Date.parse('2026-03-10T00:00:00Z');

const resolved = (running: Record<string, 'current' | 'stale' | 'missing-arch'>, createdAt?: string, missingArch = false): RefResolution => ({
  kind: 'resolved',
  refKey: 'r.io/app:v1',
  tagDigest: NEW,
  isIndex: true,
  platformDigest: NEW,
  missingArch,
  running,
  createdAt,
});

t('stale with age: over and under --max-age', () => {
  const { uses } = imageUses([pod('a', `r.io/app:v1@${OLD}`)], new Map());
  const res = new Map([['r.io/app:v1', resolved({ [OLD]: 'stale' }, '2026-03-08T00:00:00Z')]]);
  const [over] = assess(uses, res, NOW, 86_400);
  assert.equal([over!.status, over!.ageSeconds, over!.overMaxAge, over!.currentDigest], ['stale', 172_800, true, NEW]);
  const [under] = assess(uses, res, NOW, 7 * 86_400);
  assert.is(under!.overMaxAge, false);
});

t('a stale image of unknown age counts as over --max-age', () => {
  const { uses } = imageUses([pod('a', `r.io/app:v1@${OLD}`)], new Map());
  const [f] = assess(uses, new Map([['r.io/app:v1', resolved({ [OLD]: 'stale' })]]), NOW, 86_400);
  assert.is(f!.overMaxAge, true);
  assert.match(f!.reason!, /no created time/);
});

t('current, missing-arch, unresolvable, unknown running digest, digest-only', () => {
  const { uses } = imageUses([pod('a', `r.io/app:v1@${NEW}`), pod('b', 'r.io/app:v1'), pod('c', `r.io/app@${NEW}`), pod('d', 'r.io/other:1')], new Map());
  const res = new Map<string, RefResolution>([
    ['r.io/app:v1', resolved({ [NEW]: 'current' })],
    ['r.io/other:1', { kind: 'unresolvable', refKey: 'r.io/other:1', reason: 'registry r.io: 401 requires credentials' }],
  ]);
  assert.equal(assess(uses, res, NOW, 1).map((f) => f.status), ['current', 'unknown-running', 'pinned-digest', 'unresolvable']);
  const missing = assess(uses.slice(0, 1), new Map([['r.io/app:v1', resolved({ [NEW]: 'missing-arch' }, undefined, true)]]), NOW, 1);
  assert.is(missing[0]!.status, 'missing-arch');
});

t('formatAge', () => {
  assert.equal([formatAge(40), formatAge(1500), formatAge(3 * 3600 + 60), formatAge(2 * 86_400 + 7200), formatAge(undefined)], ['40s', '25m', '3h1m', '2d2h', 'unknown']);
});

t.run();
