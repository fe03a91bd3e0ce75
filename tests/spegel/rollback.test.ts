import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { HelmHistoryEntry, Snapshot } from '@stateless-ci/core';
import { rollbackTarget } from '../../packages/spegel/src/rollback.ts';

const t = suite('rollback target');
const h = (revision: number, status: string): HelmHistoryEntry => ({ revision, status, chart: 'spegel-0.7.4', description: '' });
const snap = (revision?: number): Snapshot => ({ component: 'spegel', releases: [{ release: 'spegel', namespace: 'spegel', ...(revision ? { revision } : {}) }] });

t('with a snapshot: back to its revision, uninstall when there was none, nothing when already there', () => {
  assert.equal(rollbackTarget(snap(2), [h(1, 'superseded'), h(2, 'superseded'), h(3, 'failed')], 'spegel'), { kind: 'revision', revision: 2 });
  assert.equal(rollbackTarget(snap(), [h(1, 'failed')], 'spegel'), { kind: 'uninstall' });
  assert.equal(rollbackTarget(snap(2), [h(1, 'superseded'), h(2, 'deployed')], 'spegel').kind, 'none');
  assert.equal(rollbackTarget(snap(), [], 'spegel').kind, 'none');
});

t('without a snapshot: the last good revision before the current one, else uninstall', () => {
  assert.equal(rollbackTarget(undefined, [h(1, 'superseded'), h(2, 'failed'), h(3, 'deployed')], 'spegel'), { kind: 'revision', revision: 1 });
  assert.equal(rollbackTarget(undefined, [h(1, 'deployed')], 'spegel'), { kind: 'uninstall' });
  assert.equal(rollbackTarget(undefined, [], 'spegel').kind, 'none');
});

t.run();
