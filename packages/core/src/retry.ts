/**
 * Retrying transient failures with bounded exponential backoff and full jitter. Permanent failures
 * (bad input, 4xx other than 409/429, a failed rollout) are thrown at once.
 */
import { CommandError, KubeApiError } from './errors.ts';

export type FailureClass = { kind: 'transient'; retryAfterMs?: number; reason: string } | { kind: 'permanent' };

const TRANSIENT_TEXT = [
  /ECONNRESET/,
  /ECONNREFUSED/,
  /ETIMEDOUT/,
  /EPIPE/,
  /EAI_AGAIN/,
  /socket hang up/i,
  /connection refused/i,
  /connection reset/i,
  /i\/o timeout/i,
  /TLS handshake timeout/i,
  /context deadline exceeded/i,
  /the object has been modified/i,
  /etcdserver: request timed out/i,
  /the server is currently unable to handle the request/i,
  /Too Many Requests/i,
  /http2: client connection lost/i,
  /unexpected EOF/i,
  /another operation \(install\/upgrade\/rollback\) is in progress/i,
];

export function classifyFailure(err: unknown): FailureClass {
  if (err instanceof KubeApiError) {
    if (err.code === 429) return { kind: 'transient', retryAfterMs: (err.retryAfterSeconds ?? 1) * 1000, reason: '429 Too Many Requests' };
    if (err.code >= 500) return { kind: 'transient', retryAfterMs: err.retryAfterSeconds !== undefined ? err.retryAfterSeconds * 1000 : undefined, reason: `${err.code} ${err.reason}` };
    if (err.code === 409 && err.reason === 'Conflict') return { kind: 'transient', reason: '409 Conflict' };
    return { kind: 'permanent' };
  }
  const text = err instanceof CommandError ? `${err.message} ${err.stderrTail}` : err instanceof Error ? `${err.message} ${(err as { code?: string }).code ?? ''}` : String(err);
  const hit = TRANSIENT_TEXT.find((re) => re.test(text));
  return hit ? { kind: 'transient', reason: hit.source.replace(/\\/g, '') } : { kind: 'permanent' };
}

export interface RetryPolicy {
  /** Total attempts, including the first. @default 5 */
  readonly attempts: number;
  /** @default 250 */
  readonly baseMs: number;
  /** @default 10000 */
  readonly maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseMs: 250, maxMs: 10_000 };

export interface RetryIO {
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly onRetry?: (attempt: number, delayMs: number, reason: string) => void;
  readonly classify?: (err: unknown) => FailureClass;
}

export const realRetryIO: RetryIO = { sleep: (ms) => new Promise((r) => setTimeout(r, ms)), random: Math.random };

/** Delay before retry number `attempt` (1-based): full jitter over min(max, base·2^(attempt-1)), at least Retry-After. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number, retryAfterMs?: number): number {
  const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
  const jittered = Math.round(cap / 2 + (random() * cap) / 2);
  return retryAfterMs !== undefined ? Math.max(retryAfterMs, jittered) : jittered;
}

export async function withRetry<T>(fn: (attempt: number) => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY, io: RetryIO = realRetryIO): Promise<T> {
  const classify = io.classify ?? classifyFailure;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      const c = classify(err);
      if (c.kind === 'permanent' || attempt >= policy.attempts) throw err;
      const delay = backoffDelay(attempt, policy, io.random, c.retryAfterMs);
      io.onRetry?.(attempt, delay, c.reason);
      await io.sleep(delay);
    }
  }
}
