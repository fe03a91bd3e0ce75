/**
 * How registry failures are retried (through core's withRetry): 429 waits at least Retry-After,
 * 5xx and unreachable registries back off, everything else (401, 404, bad digest) is permanent.
 */
import { RegistryError, withRetry, realRetryIO, type FailureClass, type RetryIO, type RetryPolicy } from '@stateless-ci/core';

/** A Retry-After longer than this is not waited out: the ref is reported unresolvable instead. */
export const MAX_RETRY_AFTER_MS = 60_000;

export function classifyRegistryFailure(err: unknown): FailureClass {
  if (!(err instanceof RegistryError)) return { kind: 'permanent' };
  if (err.retryAfterSeconds !== undefined && err.retryAfterSeconds * 1000 > MAX_RETRY_AFTER_MS) return { kind: 'permanent' };
  if (err.status === 429) return { kind: 'transient', retryAfterMs: (err.retryAfterSeconds ?? 1) * 1000, reason: '429 Too Many Requests' };
  if (err.status >= 500 || err.status === 0) return { kind: 'transient', retryAfterMs: err.retryAfterSeconds !== undefined ? err.retryAfterSeconds * 1000 : undefined, reason: err.status ? `${err.status}` : 'unreachable' };
  return { kind: 'permanent' };
}

/** Retry-After can be long on Docker Hub; cap a single wait so a cron run ends. */
export const REGISTRY_RETRY: RetryPolicy = { attempts: 4, baseMs: 250, maxMs: 30_000 };

export function registryRetry<T>(fn: () => Promise<T>, onRetry: (reason: string, delayMs: number) => void, io: Pick<RetryIO, 'sleep' | 'random'> = realRetryIO, policy = REGISTRY_RETRY): Promise<T> {
  return withRetry(fn, policy, { ...io, classify: classifyRegistryFailure, onRetry: (_a, delay, reason) => onRetry(reason, delay) });
}
