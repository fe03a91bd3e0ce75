import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mapLimit } from '../../../packages/verify/src/freshness/pool.ts';

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

t.run();
