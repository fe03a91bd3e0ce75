import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RECORD_KEEP, appendRun, type DeployRun } from '@stateless-ci/core';

const run = (id: string): DeployRun => ({ id, cluster: 'theia-prod', who: 'me', startedAt: '2026-12-04T00:00:00Z', durationMs: 1, result: 'succeeded', versions: {}, changed: [], rolledBack: [] });

test('newest first, trimmed to the last N runs', () => {
  let h: DeployRun[] = [];
  for (let i = 0; i < RECORD_KEEP + 5; i++) h = appendRun(h, run(String(i)));
  assert.is(h.length, RECORD_KEEP);
  assert.is(h[0]!.id, String(RECORD_KEEP + 4));
  assert.is(h.at(-1)!.id, '5');
});
test('re-recording a run replaces it', () => {
  const h = appendRun(appendRun([], run('a')), { ...run('a'), result: 'failed' });
  assert.equal(h.map((r) => r.result), ['failed']);
});
test.run();
