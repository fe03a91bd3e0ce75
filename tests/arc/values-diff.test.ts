import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sameValues, valuesDiff } from '@stateless-ci/arc';

const t = suite('arc values diff');

t('dotted paths, removed and added lines, arrays by index', () => {
  const before = { minRunners: 0, maxRunners: 10, template: { spec: { containers: [{ name: 'runner', image: 'a:1' }], volumes: [] } } };
  const after = { minRunners: 0, maxRunners: 5, runnerGroup: 'ci', template: { spec: { containers: [{ name: 'runner', image: 'a:2' }], volumes: [] } } };
  assert.equal(valuesDiff(before, after), ['- maxRunners: 10', '+ maxRunners: 5', '+ runnerGroup: "ci"', '- template.spec.containers[0].image: "a:1"', '+ template.spec.containers[0].image: "a:2"']);
  assert.ok(sameValues(before, JSON.parse(JSON.stringify(before))));
  assert.not.ok(sameValues(before, after));
  assert.equal(valuesDiff(undefined, { a: 1 }), ['+ a: 1']);
});

t.run();
