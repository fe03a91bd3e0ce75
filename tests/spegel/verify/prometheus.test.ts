import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { max, parsePrometheus, sum } from '../../../packages/spegel/src/verify/prometheus.ts';

const t = suite('prometheus text');
const text = `# HELP spegel_mirror_requests_total Total number of mirror requests.
# TYPE spegel_mirror_requests_total counter
spegel_mirror_requests_total{cache="hit",registry="docker.io"} 5
spegel_mirror_requests_total{cache="miss",registry="docker.io"} 2
spegel_mirror_requests_total{cache="hit",registry="ghcr.io"} 1
spegel_mirror_last_success_timestamp_seconds 1.7e+09
http_request_duration_seconds_bucket{handler="mirror",le="+Inf"} 7
weird{a="x\\"y"} 1 1700000000000
`;

t('samples with labels, escapes, exponents, +Inf and timestamps', () => {
  const s = parsePrometheus(text);
  assert.is(s.length, 6);
  assert.is(sum(s, 'spegel_mirror_requests_total', { cache: 'hit' }), 6);
  assert.is(sum(s, 'spegel_mirror_requests_total'), 8);
  assert.is(max(s, 'spegel_mirror_last_success_timestamp_seconds'), 1.7e9);
  assert.equal(s.at(-1), { name: 'weird', labels: { a: 'x"y' }, value: 1 });
  assert.is(max(s, 'absent'), 0);
});

t.run();
