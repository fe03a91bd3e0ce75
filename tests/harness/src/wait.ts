/** Polling with a short exponential backoff (never a fixed sleep), bounded by a deadline. */
import { ReadinessTimeoutError } from './errors.ts';

export interface WaitOptions {
  readonly what: string;
  readonly timeoutMs: number;
  /** Called between attempts; throw from it to abort early (e.g. the process died). */
  readonly abortIf?: () => void | Promise<void>;
  readonly minDelayMs?: number;
  readonly maxDelayMs?: number;
}

export const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Calls `probe` until it returns a value other than undefined. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, opts: WaitOptions): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let pause = opts.minDelayMs ?? 20;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await opts.abortIf?.();
    if (Date.now() >= deadline) {
      const why = last instanceof Error ? `: ${last.message}` : '';
      throw new ReadinessTimeoutError(`timed out after ${opts.timeoutMs} ms waiting for ${opts.what}${why}`);
    }
    await delay(Math.min(pause, Math.max(0, deadline - Date.now())));
    pause = Math.min(pause * 2, opts.maxDelayMs ?? 250);
  }
}
