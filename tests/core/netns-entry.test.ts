import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { enterNetnsIfAsked, relaunchArgs, shouldEnterNetns } from '@stateless-ci/core';

test('enters only when asked and not already inside', () => {
  assert.is(shouldEnterNetns(undefined, ''), false);
  assert.is(shouldEnterNetns('stateless-ci-sandbox', 'stateless-ci-sandbox'), false);
  assert.is(shouldEnterNetns('stateless-ci-sandbox', ''), true);
});

test('re-runs the same command line inside the namespace and returns its status', () => {
  const calls: [string, readonly string[]][] = [];
  const io = { identify: () => '', exec: (n: string, argv: readonly string[]) => (calls.push([n, argv]), 7) };
  assert.is(enterNetnsIfAsked({ STATELESS_CI_NETNS: 'sb' }, io), 7);
  assert.is(calls[0]![0], 'sb');
  assert.is(calls[0]![1][0], process.execPath);
  assert.ok(calls[0]![1].includes(process.argv[1]!));
  assert.is(enterNetnsIfAsked({}, io), undefined);
  assert.is(calls.length, 1);
});
test('a bundled command is started again through its launcher, not through the .mts file it reports', () => {
  const argv = ['/usr/bin/node', '/repo/scripts/deploy-amd.mts', '--dry-run'];
  assert.equal(relaunchArgs({}, ['--import', 'tsx'], argv), ['--import', 'tsx', '/repo/scripts/deploy-amd.mts', '--dry-run']);
  assert.equal(relaunchArgs({ STATELESS_CI_RELAUNCH: JSON.stringify(['/repo/scripts/run.mjs', 'deploy-amd']) }, [], argv), ['/repo/scripts/run.mjs', 'deploy-amd', '--dry-run']);
});
test.run();
