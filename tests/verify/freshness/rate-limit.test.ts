import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseRateLimit } from '../../../packages/verify/src/freshness/rate-limit.ts';

const t = suite('rate-limit');

t('Docker Hub headers with a window, plain numbers, and none', () => {
  assert.equal(parseRateLimit('registry-1.docker.io', { limit: '100;w=21600', remaining: '76;w=21600' }), { registry: 'registry-1.docker.io', limit: 100, remaining: 76, windowSeconds: 21600 });
  assert.equal(parseRateLimit('q.io', { remaining: '5' }), { registry: 'q.io', limit: undefined, remaining: 5, windowSeconds: undefined });
  assert.is(parseRateLimit('q.io', {}), undefined);
});

t.run();
