import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RegistryError } from '@stateless-ci/core';
import { classifyRegistryFailure, registryRetry } from '../../../packages/verify/src/freshness/registry-retry.ts';

const t = suite('registry-retry');

t('429 and 5xx are transient, 401/404 permanent, a Retry-After over a minute is not waited out', () => {
  assert.equal(classifyRegistryFailure(new RegistryError('r', 429, 'x', { retryAfterSeconds: 3 })), { kind: 'transient', retryAfterMs: 3000, reason: '429 Too Many Requests' });
  assert.is(classifyRegistryFailure(new RegistryError('r', 503, 'x')).kind, 'transient');
  assert.is(classifyRegistryFailure(new RegistryError('r', 0, 'unreachable')).kind, 'transient');
  assert.is(classifyRegistryFailure(new RegistryError('r', 401, 'x')).kind, 'permanent');
  assert.is(classifyRegistryFailure(new RegistryError('r', 404, 'x')).kind, 'permanent');
  assert.is(classifyRegistryFailure(new RegistryError('r', 429, 'x', { retryAfterSeconds: 3600 })).kind, 'permanent');
});

t('retries honour Retry-After and report each retry', async () => {
  let n = 0;
  const slept: number[] = [];
  const reasons: string[] = [];
  const v = await registryRetry(
    async () => {
      if (n++ < 1) throw new RegistryError('r', 429, 'x', { retryAfterSeconds: 5 });
      return 'ok';
    },
    (reason) => reasons.push(reason),
    { sleep: async (ms) => void slept.push(ms), random: () => 0.5 },
  );
  assert.is(v, 'ok');
  assert.equal(slept, [5000]);
  assert.equal(reasons, ['429 Too Many Requests']);
});

t.run();
