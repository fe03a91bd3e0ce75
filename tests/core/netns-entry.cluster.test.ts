// currentNetns, inside the network namespace the cluster suites run in: the same answer as
// `ip netns identify`, which it replaces on every command's start.
import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { currentNetns, realNetnsIO } from '@stateless-ci/core';

test('names the namespace this process is in, as `ip netns identify` does', () => {
  const ip = spawnSync('ip', ['netns', 'identify', String(process.pid)], { encoding: 'utf8' });
  assert.is(ip.status, 0, ip.stderr);
  const expected = ip.stdout.trim();
  assert.ok(expected.length > 0, 'the cluster suites run inside a named namespace');
  assert.is(currentNetns(), expected);
  assert.is(realNetnsIO.identify(), expected);
});

test.run();
