/** Watches a collection until stopped, re-opening the stream whenever the server closes it. */
import type { Harness } from '../harness.ts';

export function watchForever<T>(h: Harness, path: string, onEvent: (type: string, obj: T) => void, signal: AbortSignal, log: (line: string) => void = () => undefined): Promise<void> {
  const loop = async (): Promise<void> => {
    while (!signal.aborted) {
      try {
        await h.client.watch<T>(path, (e) => void onEvent(e.type, e.object), signal);
      } catch (e) {
        if (signal.aborted) return;
        // A CRD not installed yet, or the API server restarting: watch again shortly.
        log(`stand-in watch ${path}: ${(e as Error).message}; reopening`);
        await new Promise((r) => setTimeout(r, 300));
      }
    }
  };
  return loop();
}
