import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { limiter, mapLimit } from '../../../packages/verify/src/freshness/pool.ts';

const t = suite('pool');

t('keeps order and never exceeds the limit', async () => {
  let inFlight = 0;
  let peak = 0;
  const out = await mapLimit([5, 1, 4, 2, 3, 0, 6], 3, async (x) => {
    peak = Math.max(peak, ++inFlight);
    for (let i = 0; i < x; i++) await new Promise((r) => setImmediate(r));
    inFlight--;
    return x * 2;
  });
  assert.equal(out, [10, 2, 8, 4, 6, 0, 12]);
  assert.is(peak, 3);
  assert.equal(await mapLimit([], 4, async (x: number) => x), []);
});

t('limiter: never more than the limit at once, every call answered, a failure frees its slot', async () => {
  const run = limiter(2);
  let active = 0;
  let peak = 0;
  const job = (x: number) =>
    run(async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 2));
      active--;
      if (x === 3) throw new Error('three');
      return x * 10;
    });
  const out = await Promise.all([1, 2, 3, 4, 5].map((x) => job(x).catch((e: Error) => e.message)));
  assert.equal(out, [10, 20, 'three', 40, 50]);
  assert.is(peak, 2);
  assert.is(active, 0);
});

t.run();
