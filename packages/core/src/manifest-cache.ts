/**
 * Parsed manifests kept across runs, addressed by the SHA-256 of their YAML text. ARC's controller
 * chart renders 3 MB of CRD YAML that takes the `yaml` parser about half a second of CPU in a fresh
 * process, on every deploy, verify and plan, although the pinned chart never changes. JSON of the
 * same objects loads in about 10 ms; the `yaml` parser manages about 1.5 MB/s even on small texts
 * (Spegel's 7 KB render: 5 ms; k8s-digester's 12 KB: 7-16 ms). Texts under 4 KB are parsed, not
 * cached; a missing or unreadable entry is
 * parsed again and rewritten (atomically, by rename). Rendered manifests hold no secret values
 * (credentials live in a Secret the tool builds in memory), so nothing secret reaches the disk.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { cacheRootFor, writeCacheFile } from './cache-dir.ts';
import type { KubeObject } from './kube/kube-object.ts';
import { parseManifests } from './yaml-docs.ts';

/** Parsed manifests, and the SHA-256 of their text when the text is large enough to be cached. */
export interface ParsedManifests {
  readonly objects: KubeObject[];
  readonly digest?: string;
}

export class ManifestCache {
  readonly dir: string;
  readonly minBytes: number;
  constructor(dir: string, minBytes = 4 * 1024) {
    this.dir = dir;
    this.minBytes = minBytes;
  }

  async parse(text: string, source: string): Promise<ParsedManifests> {
    if (text.length < this.minBytes) return { objects: parseManifests(text, source) };
    const digest = createHash('sha256').update(text).digest('hex');
    const file = path.join(this.dir, `${digest}.json`);
    const hit = await readFile(file, 'utf8')
      .then((s) => JSON.parse(s) as KubeObject[])
      .catch(() => undefined);
    if (Array.isArray(hit)) return { objects: hit, digest };
    const objects = parseManifests(text, source);
    await writeCacheFile(file, JSON.stringify(objects)).catch(() => undefined); // a cache that cannot be written only costs the next run a parse
    return { objects, digest };
  }

  /**
   * A JSON value computed from the manifests whose text has this digest, kept across runs in
   * `derived/`. `name` identifies the computation and must change whenever its result would (ARC
   * keeps its CRD spec hashes here: 50 ms of CPU per run otherwise). An unreadable entry is
   * computed again and rewritten.
   */
  async derived<T>(name: string, digest: string, compute: () => T): Promise<T> {
    const file = path.join(this.dir, 'derived', `${createHash('sha256').update(`${name}\0${digest}`).digest('hex')}.json`);
    const hit = await readFile(file, 'utf8')
      .then((s) => JSON.parse(s) as { value?: T })
      .catch(() => undefined);
    if (hit && typeof hit === 'object' && 'value' in hit) return hit.value as T;
    const value = compute();
    await writeCacheFile(file, JSON.stringify({ value })).catch(() => undefined);
    return value;
  }
}

/** `<cache root>/manifests` (see cache-dir.ts); STATELESS_CI_CACHE_DIR=off disables. */
export function manifestCacheFor(env: Readonly<Record<string, string | undefined>>): ManifestCache | undefined {
  const root = cacheRootFor(env);
  return root ? new ManifestCache(path.join(root, 'manifests')) : undefined;
}
