import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CommandError, ConfigError, KubeApiError, backoffDelay, classifyFailure, withRetry } from '@stateless-ci/core';

const io = (sleeps: number[]) => ({ sleep: async (ms: number) => void sleeps.push(ms), random: () => 0.5 });

test('classifies transient and permanent failures', () => {
  assert.is(classifyFailure(new KubeApiError(429, 'TooManyRequests', 'slow down', { retryAfterSeconds: 3 })).kind, 'transient');
  assert.equal(classifyFailure(new KubeApiError(429, 'TooManyRequests', 'x', { retryAfterSeconds: 3 })), { kind: 'transient', retryAfterMs: 3000, reason: '429 Too Many Requests' });
  assert.is(classifyFailure(new KubeApiError(503, 'ServiceUnavailable', 'x')).kind, 'transient');
  assert.is(classifyFailure(new KubeApiError(409, 'Conflict', 'x')).kind, 'transient');
  assert.is(classifyFailure(new KubeApiError(409, 'AlreadyExists', 'x')).kind, 'permanent');
  assert.is(classifyFailure(new KubeApiError(403, 'Forbidden', 'x')).kind, 'permanent');
  assert.is(classifyFailure(new KubeApiError(422, 'Invalid', 'x')).kind, 'permanent');
  assert.is(classifyFailure(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })).kind, 'transient');
  assert.is(classifyFailure(new CommandError('helm upgrade', 1, 'Error: Kubernetes cluster unreachable: dial tcp 127.0.0.1:6443: connect: connection refused')).kind, 'transient');
  assert.is(classifyFailure(new CommandError('helm upgrade', 1, 'Error: values don\'t meet the specifications of the schema')).kind, 'permanent');
  assert.is(classifyFailure(new ConfigError([])).kind, 'permanent');
});

test('backoff is exponential, capped, jittered, and honours Retry-After', () => {
  const p = { attempts: 10, baseMs: 100, maxMs: 1000 };
  assert.is(backoffDelay(1, p, () => 0), 50);
  assert.is(backoffDelay(1, p, () => 1), 100);
  assert.is(backoffDelay(3, p, () => 1), 400);
  assert.is(backoffDelay(8, p, () => 1), 1000);
  assert.is(backoffDelay(1, p, () => 1, 5000), 5000);
});

test('retries transient failures until success', async () => {
  const sleeps: number[] = [];
  let n = 0;
  const v = await withRetry(async () => {
    n++;
    if (n < 3) throw new KubeApiError(500, 'InternalError', 'etcd');
    return 'ok';
  }, { attempts: 5, baseMs: 100, maxMs: 1000 }, io(sleeps));
  assert.is(v, 'ok');
  assert.is(n, 3);
  assert.equal(sleeps, [75, 150]);
});

test('fails at once on a permanent failure', async () => {
  const sleeps: number[] = [];
  let n = 0;
  try {
    await withRetry(async () => {
      n++;
      throw new KubeApiError(403, 'Forbidden', 'no');
    }, undefined, io(sleeps));
    assert.unreachable();
  } catch (e) {
    assert.instance(e, KubeApiError);
  }
  assert.is(n, 1);
  assert.equal(sleeps, []);
});

test('gives up after the attempt budget with the last error', async () => {
  let n = 0;
  try {
    await withRetry(async () => {
      n++;
      throw new KubeApiError(503, 'ServiceUnavailable', `try ${n}`);
    }, { attempts: 3, baseMs: 1, maxMs: 1 }, io([]));
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /try 3/);
  }
  assert.is(n, 3);
});

test.run();
