import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CRD_NAMES, chartVersionOf, minorOf } from '@stateless-ci/arc';

const t = suite('arc names');

t('chart versions and minors', () => {
  assert.is(chartVersionOf('gha-runner-scale-set-controller-0.13.1', 'gha-runner-scale-set-controller'), '0.13.1');
  assert.is(chartVersionOf('gha-runner-scale-set-0.14.2', 'gha-runner-scale-set'), '0.14.2');
  assert.is(chartVersionOf('spegel-0.7.4', 'gha-runner-scale-set'), undefined);
  assert.is(minorOf('0.14.2'), '0.14');
  assert.is(minorOf('v0.13.1'), '0.13');
  assert.is(minorOf('latest'), undefined);
  assert.is(CRD_NAMES.length, 4);
  assert.ok(CRD_NAMES.every((n) => n.endsWith('.actions.github.com')));
});

t.run();
