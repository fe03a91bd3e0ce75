import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { leaseState } from '@stateless-ci/core';

const lease = (holder: string | undefined, renewedSecondsAgo: number, duration: number, acquiredSecondsAgo = renewedSecondsAgo) => {
  const now = Date.parse('2026-12-04T12:00:00Z');
  return {
    lease: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'x' }, spec: { holderIdentity: holder, leaseDurationSeconds: duration, renewTime: new Date(now - renewedSecondsAgo * 1000).toISOString(), acquireTime: new Date(now - acquiredSecondsAgo * 1000).toISOString() } },
    now: new Date(now),
  };
};

test('a fresh lease is held, with its age and time left', () => {
  const { lease: l, now } = lease('ci@runner pid 1', 10, 120, 300);
  assert.equal(leaseState(l, now), { held: true, holder: 'ci@runner pid 1', ageSeconds: 300, expiresInSeconds: 110 });
});
test('an expired lease (crashed run) is free', () => {
  const { lease: l, now } = lease('crashed', 121, 120);
  assert.equal(leaseState(l, now), { held: false });
});
test('no lease or a released one is free', () => {
  const { lease: l, now } = lease(undefined, 1, 120);
  assert.equal(leaseState(l, now), { held: false });
  assert.equal(leaseState(undefined, now), { held: false });
});
test.run();
