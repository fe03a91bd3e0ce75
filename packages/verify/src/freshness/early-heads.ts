/**
 * HEADs started while pods are still being listed, so the registry round trips overlap the API
 * server's pages instead of following them. Only refs of pods without imagePullSecrets are
 * started early (their pull secrets are not read yet); an early HEAD that fails for any reason
 * (a private registry answering 401, a reset) is simply not used: the resolver then asks again
 * with every credential and the retry policy, so an early start never changes a result, at most
 * it adds one request for such a ref. All HEADs, early or not, share one pool of `concurrency`.
 */
import { parseReference, refKey, type ManifestHead, type Reference } from '@stateless-ci/core';
import type { RegistryReader } from './resolve-refs.ts';

export class EarlyHeads {
  readonly #registry: RegistryReader;
  readonly #slot: <R>(fn: () => Promise<R>) => Promise<R>;
  readonly #now: () => number;
  readonly #started = new Map<string, Promise<ManifestHead | undefined>>();
  #firstAt: number | undefined;

  /** `now` is the check's clock, so start times compare with its other timings. */
  constructor(registry: RegistryReader, slot: <R>(fn: () => Promise<R>) => Promise<R>, now: () => number = Date.now) {
    this.#registry = registry;
    this.#slot = slot;
    this.#now = now;
  }

  /** When the first early HEAD started (by the clock given), if any did. */
  get firstStartedAt(): number | undefined {
    return this.#firstAt;
  }

  get started(): number {
    return this.#started.size;
  }

  /** Starts the HEAD of `key` (a tag reference without digest) unless it already ran. */
  offer(key: string): void {
    if (this.#started.has(key)) return;
    let ref: Reference;
    try {
      ref = parseReference(key);
    } catch {
      return; // the resolver reports it
    }
    this.#firstAt ??= this.#now();
    this.#started.set(
      key,
      this.#slot(() => this.#registry.headManifest(ref)).catch(() => undefined),
    );
  }

  /** The reader the resolver uses: an early answer when there is one, else a HEAD in the same pool. */
  reader(): RegistryReader {
    return {
      headManifest: async (ref) => (await this.#started.get(refKey({ ...ref, digest: undefined }))) ?? this.#slot(() => this.#registry.headManifest(ref)),
      getManifest: (ref) => this.#registry.getManifest(ref),
      getBlob: (ref, digest) => this.#registry.getBlob(ref, digest),
    };
  }
}
