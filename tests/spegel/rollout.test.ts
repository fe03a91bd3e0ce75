import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rolloutState } from '../../packages/spegel/src/rollout.ts';
import { daemonSet } from './helpers.ts';

const t = suite('daemonset rollout state');

t('done only when the generation is observed and every scheduled pod is updated and Ready', () => {
  assert.ok(rolloutState(daemonSet({ desired: 3 })).done);
  assert.equal(rolloutState(daemonSet({ desired: 3, generation: 2, observed: 1 })), { done: false, detail: 'controller has not seen generation 2 yet (observed 1)', desired: 3, updated: 3, ready: 3 });
  assert.is(rolloutState(daemonSet({ desired: 3, updated: 1 })).detail, '1 of 3 nodes run the new pod template');
  assert.is(rolloutState(daemonSet({ desired: 3, ready: 2 })).detail, '2 of 3 pods Ready');
  assert.is(rolloutState(undefined).detail, 'DaemonSet not found');
});

t.run();
