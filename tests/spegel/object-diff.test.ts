import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { diffLines, flatten } from '../../packages/spegel/src/object-diff.ts';

const t = suite('object diff');

t('flatten gives path: value lines, empty containers kept', () => {
  assert.equal([...flatten({ a: { b: [1, { c: 'x' }] }, d: [], e: {} })], [['a.b[0]', '1'], ['a.b[1].c', '"x"'], ['d', '[]'], ['e', '{}']]);
});

t('diffLines shows removed and added values, sorted, capped', () => {
  assert.equal(diffLines({ a: 1, b: 2 }, { a: 1, b: 3, c: true }), ['- b: 2', '+ b: 3', '+ c: true']);
  assert.equal(diffLines({ x: 1 }, { x: 1 }), []);
  const many = diffLines({}, Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${String(i).padStart(2, '0')}`, i])), 5);
  assert.is(many.length, 6);
  assert.is(many[5], '… 25 more changed lines');
});

t.run();
