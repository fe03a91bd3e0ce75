/**
 * Resolving every unique tag once against its registry. One HEAD per ref gives the tag's digest
 * (HEAD spends no Docker Hub pull quota). GETs happen only when needed, each digest at most once:
 * the current index, to compare the cluster's platform when a pod runs another digest (so a
 * re-push of another architecture is not stale) or when a container is not running; the running
 * index, for the same comparison; and, for stale refs, the current manifest (and if needed its
 * config blob) to date the image.
 */
import { isIndex, parseReference, type Arch, type ImageIndex, type ImageManifest, type Manifest, type ManifestHead, type Reference } from '@stateless-ci/core';
import { mapLimit } from './pool.ts';
import { CREATED_ANNOTATION, platformManifest, usableCreated } from './platform.ts';
import { parseRateLimit } from './rate-limit.ts';
import type { RateLimitReading, RefResolution } from './types.ts';

/** The part of core's RegistryClient the resolver uses. */
export interface RegistryReader {
  headManifest(ref: Reference): Promise<ManifestHead>;
  getManifest<T = unknown>(ref: Reference): Promise<Manifest<T>>;
  getBlob(ref: Reference, digest: string): Promise<Buffer>;
}

export interface ResolveOptions {
  readonly arch: Arch;
  /** @default 8 */
  readonly concurrency: number;
  /** `on-change`: read an index only when a digest differs or a container is not running. `always`: every index. */
  readonly archCheck: 'on-change' | 'always';
}

export interface ResolveDeps {
  readonly registry: RegistryReader;
  /** Wraps each registry call with the retry policy. */
  readonly retry: <T>(what: string, fn: () => Promise<T>) => Promise<T>;
}

export interface RefDemand {
  readonly running: ReadonlySet<string>;
  readonly anyNotRunning: boolean;
}

type IndexOrManifest = ImageIndex | ImageManifest;

export async function resolveRefs(refs: ReadonlyMap<string, RefDemand>, opts: ResolveOptions, deps: ResolveDeps): Promise<{ results: Map<string, RefResolution>; rateLimits: RateLimitReading[] }> {
  const byDigest = new Map<string, Promise<Manifest<IndexOrManifest> | undefined>>();
  const limits = new Map<string, RateLimitReading>();
  const note = (registry: string, h: ManifestHead) => {
    const r = parseRateLimit(registry, h.rateLimit);
    const prev = limits.get(registry);
    if (r && (prev?.remaining === undefined || (r.remaining !== undefined && r.remaining < prev.remaining))) limits.set(registry, r);
  };
  /** GET by digest, once per digest for the whole run; 404 → undefined. */
  const getByDigest = (ref: Reference, digest: string, allowMissing: boolean): Promise<Manifest<IndexOrManifest> | undefined> => {
    const key = `${ref.registry}/${ref.repository}@${digest}`;
    let p = byDigest.get(key);
    if (!p) {
      p = deps.retry(`GET ${key}`, () => deps.registry.getManifest<IndexOrManifest>({ registry: ref.registry, repository: ref.repository, digest })).catch((e: unknown) => {
        if (allowMissing && (e as { status?: number }).status === 404) return undefined;
        throw e;
      });
      byDigest.set(key, p);
    }
    return p;
  };
  /** The cluster-platform digest behind `digest`: itself for a manifest, the child for an index. */
  const platformOf = async (ref: Reference, digest: string): Promise<{ digest?: string; found: boolean }> => {
    const m = await getByDigest(ref, digest, true);
    if (!m) return { found: false };
    if (!isIndex(m.mediaType) && !('manifests' in m.body)) return { digest, found: true };
    return { digest: platformManifest((m.body as ImageIndex).manifests, opts.arch)?.digest, found: true };
  };

  const entries = [...refs.entries()];
  const resolved = await mapLimit(entries, opts.concurrency, async ([key, demand]): Promise<RefResolution> => {
    let ref: Reference;
    try {
      ref = parseReference(key);
    } catch (e) {
      return { kind: 'unresolvable', refKey: key, reason: (e as Error).message };
    }
    try {
      const head = await deps.retry(`HEAD ${key}`, () => deps.registry.headManifest(ref));
      note(ref.registry, head);
      const index = isIndex(head.mediaType);
      const differs = [...demand.running].some((d) => d !== head.digest);
      const readIndex = index && (differs || demand.anyNotRunning || opts.archCheck === 'always');
      let platformDigest: string | undefined = index ? undefined : head.digest;
      let missingArch = false;
      let indexBody: ImageIndex | undefined;
      if (readIndex) {
        const m = await getByDigest(ref, head.digest, false);
        indexBody = m!.body as ImageIndex;
        platformDigest = platformManifest(indexBody.manifests ?? [], opts.arch)?.digest;
        missingArch = platformDigest === undefined;
      }
      const running: Record<string, 'current' | 'stale' | 'missing-arch'> = {};
      for (const r of demand.running) {
        if (missingArch) running[r] = 'missing-arch';
        else if (r === head.digest || r === platformDigest) running[r] = 'current';
        else {
          const old = await platformOf(ref, r);
          running[r] = old.found && old.digest !== undefined && old.digest === platformDigest ? 'current' : 'stale';
        }
      }
      let created: { at?: string; from?: 'annotation' | 'config' } = {};
      if (Object.values(running).includes('stale') && platformDigest) created = await createdOf(ref, platformDigest, indexBody, getByDigest, deps);
      return { kind: 'resolved', refKey: key, tagDigest: head.digest, isIndex: index, platformDigest, missingArch, running, createdAt: created.at, createdFrom: created.from };
    } catch (e) {
      return { kind: 'unresolvable', refKey: key, reason: (e as Error).message };
    }
  });
  return { results: new Map(resolved.map((r) => [r.refKey, r])), rateLimits: [...limits.values()] };
}

/** Created time of the current image: manifest annotation, else the index's, else the config blob's `created`. */
async function createdOf(
  ref: Reference,
  digest: string,
  index: ImageIndex | undefined,
  get: (ref: Reference, digest: string, allowMissing: boolean) => Promise<Manifest<IndexOrManifest> | undefined>,
  deps: ResolveDeps,
): Promise<{ at?: string; from?: 'annotation' | 'config' }> {
  const m = (await get(ref, digest, true))?.body as ImageManifest | undefined;
  const fromAnnotation = usableCreated(m?.annotations?.[CREATED_ANNOTATION]) ?? usableCreated((index as { annotations?: Record<string, string> } | undefined)?.annotations?.[CREATED_ANNOTATION]);
  if (fromAnnotation) return { at: fromAnnotation, from: 'annotation' };
  if (!m?.config?.digest) return {};
  try {
    const blob = await deps.retry(`GET config ${m.config.digest}`, () => deps.registry.getBlob(ref, m.config.digest));
    const at = usableCreated((JSON.parse(blob.toString('utf8')) as { created?: unknown }).created);
    return at ? { at, from: 'config' } : {};
  } catch {
    return {};
  }
}
