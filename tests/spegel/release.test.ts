import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { releaseState } from '../../packages/spegel/src/release.ts';

const t = suite('release state from helm history');

t('the highest revision wins; no history means not installed', async () => {
  const helm = { history: async () => [{ revision: 2, status: 'failed', chart: 'spegel-0.7.4', description: '' }, { revision: 1, status: 'superseded', chart: 'spegel-0.7.4', description: '' }] };
  assert.equal(await releaseState(helm, 'spegel', 'spegel'), { revision: 2, status: 'failed', chart: 'spegel-0.7.4' });
  assert.is(await releaseState({ history: async () => [] }, 'spegel', 'spegel'), undefined);
});

t.run();
