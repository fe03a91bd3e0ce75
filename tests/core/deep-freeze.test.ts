import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { deepFreeze } from '../../packages/core/src/deep-freeze.ts';

const t = suite('deepFreeze');

t('freezes every nested object and array; a write throws', () => {
  const v = deepFreeze({ a: { b: [{ c: 1 }] }, d: 'x' });
  assert.ok(Object.isFrozen(v));
  assert.ok(Object.isFrozen(v.a));
  assert.ok(Object.isFrozen(v.a.b));
  assert.ok(Object.isFrozen(v.a.b[0]));
  assert.throws(() => {
    (v.a.b[0] as { c: number }).c = 2;
  }, TypeError);
  assert.throws(() => (v.a.b as unknown[]).push(1), TypeError);
  assert.is(v.a.b[0]!.c, 1);
});

t('primitives, null and shared or cyclic references are fine', () => {
  assert.is(deepFreeze(3), 3);
  assert.is(deepFreeze(null), null);
  const shared: { self?: unknown; n: number } = { n: 1 };
  shared.self = shared;
  const v = deepFreeze({ x: shared, y: shared });
  assert.ok(Object.isFrozen(v.x) && v.x === v.y);
});

t.run();
