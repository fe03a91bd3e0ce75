import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { classifyProxy } from '../../../packages/spegel/src/verify/proxy.ts';

const t = suite('pod proxy outcome');
const status = (message: string) => JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason: 'ServiceUnavailable', code: 503 });

t('200 is ok; a dial failure is unreachable with the network reason; refused and HTTP errors are Spegel faults', () => {
  assert.equal(classifyProxy({ status: 200, body: 'ok' }), { kind: 'ok', body: 'ok' });
  assert.equal(classifyProxy({ status: 503, body: status('error trying to reach service: dial tcp 10.244.1.5:5000: connect: network is unreachable') }), {
    kind: 'unreachable',
    detail: 'dial tcp 10.244.1.5:5000: connect: network is unreachable',
  });
  assert.is(classifyProxy({ status: 502, body: status('error trying to reach service: dial tcp 10.0.0.1:9090: i/o timeout') }).kind, 'unreachable');
  assert.equal(classifyProxy({ status: 503, body: status('error trying to reach service: dial tcp 10.0.0.1:5000: connect: connection refused') }), { kind: 'refused', detail: 'dial tcp 10.0.0.1:5000: connect: connection refused' });
  assert.equal(classifyProxy({ status: 500, body: 'not ready' }), { kind: 'http-error', status: 500, detail: 'not ready' });
  assert.is(classifyProxy({ error: Object.assign(new Error('connect ENETUNREACH 10.0.0.1:443'), { code: 'ENETUNREACH' }) }).kind, 'unreachable');
});

t.run();
