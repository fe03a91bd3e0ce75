/**
 * Pure: reading registry rate-limit headers. Docker Hub sends `ratelimit-limit: 100;w=21600` and
 * `ratelimit-remaining: 76;w=21600` (count; window in seconds); other registries send plain numbers.
 */
import type { RateLimit } from '@stateless-ci/core';
import type { RateLimitReading } from './types.ts';

function parse(v: string | undefined): { n?: number; w?: number } {
  if (!v) return {};
  const m = /^\s*(\d+)(?:\s*;\s*w=(\d+))?/.exec(v);
  return m ? { n: Number(m[1]), w: m[2] !== undefined ? Number(m[2]) : undefined } : {};
}

export function parseRateLimit(registry: string, rl: RateLimit): RateLimitReading | undefined {
  const limit = parse(rl.limit);
  const remaining = parse(rl.remaining);
  if (limit.n === undefined && remaining.n === undefined) return undefined;
  return { registry, limit: limit.n, remaining: remaining.n, windowSeconds: remaining.w ?? limit.w };
}
