/**
 * `helm template` output kept across runs. The key is everything the output depends on: the chart
 * archive's SHA-256, the arguments (release, namespace, flags), the values text and the helm
 * binary (its built-in Kubernetes version and capabilities); templates run without a cluster, so
 * `lookup` returns nothing. A chart whose output is not reproducible (randAlphaNum, genCA, ...)
 * is never stored: on a miss the chart is rendered twice, and only equal renders are kept.
 *
 * Rendered manifests hold no secrets here: values come from the cluster file, and the GitHub
 * credentials go into a Secret the tool builds itself. Entries are written 0600 all the same.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { cacheRootFor, writeCacheFile } from '../cache-dir.ts';
import type { KubeObject } from '../kube/kube-object.ts';
import type { ParsedManifests } from '../manifest-cache.ts';

export interface TemplateKey {
  readonly chartSha256: string;
  /** helm arguments without the chart path. */
  readonly args: readonly string[];
  readonly values: string;
}

/** `path:size:mtime` of the first `name` on PATH, or undefined when there is none. */
export async function binaryIdentity(name: string, env: Readonly<Record<string, string | undefined>>): Promise<string | undefined> {
  for (const dir of (env.PATH ?? '').split(':').filter(Boolean)) {
    const file = path.join(dir, name);
    const s = await stat(file).catch(() => undefined);
    if (s?.isFile()) return `${file}:${s.size}:${s.mtimeMs}`;
  }
  return undefined;
}

export class TemplateCache {
  readonly dir: string;
  readonly #helm: Promise<string | undefined>;
  /** `helm` identifies the helm binary (see binaryIdentity); without one nothing is cached. */
  constructor(dir: string, helm: Promise<string | undefined>) {
    this.dir = dir;
    this.#helm = helm;
    this.#helm.catch(() => undefined);
  }

  async #file(k: TemplateKey): Promise<string | undefined> {
    const helm = await this.#helm.catch(() => undefined);
    if (!helm) return undefined;
    const h = createHash('sha256').update(JSON.stringify([k.chartSha256, k.args, k.values, helm])).digest('hex');
    return path.join(this.dir, `${h}.yaml`);
  }

  /**
   * The stored render, or `render()`'s. On a miss, renders twice (concurrently) and stores the
   * text only if both agree.
   */
  async render(k: TemplateKey, render: () => Promise<string>): Promise<string> {
    const file = await this.#file(k);
    return file ? (await this.#textAt(file, render)).text : render();
  }

  async #textAt(file: string, render: () => Promise<string>): Promise<{ text: string; stored: boolean }> {
    const hit = await readFile(file, 'utf8').catch(() => undefined);
    if (hit !== undefined) return { text: hit, stored: true };
    const [a, b] = await Promise.all([render(), render()]);
    if (a !== b) return { text: a, stored: false };
    // A cache that cannot be written only costs the next run a render.
    const stored = await writeCacheFile(file, a, 0o600).then(
      () => true,
      () => false,
    );
    return { text: a, stored };
  }

  /**
   * The render parsed, kept as JSON next to the stored text, so a hit reads neither the text nor
   * parses it: ARC's controller render is 3 MB of YAML, whose reading and hashing alone cost
   * ~25 ms and a garbage collection before every deploy's lock. Only stored (reproducible) renders
   * get a JSON entry; `digest` names it (for values derived from it, see `ManifestCache.derived`)
   * and is undefined when nothing is stored.
   */
  async parsed(k: TemplateKey, render: () => Promise<string>, parse: (text: string) => Promise<KubeObject[]>): Promise<ParsedManifests> {
    const file = await this.#file(k);
    if (!file) return { objects: await parse(await render()) };
    const json = file.replace(/\.yaml$/, '.json');
    const digest = `template-${path.basename(file, '.yaml')}`;
    const hit = await readFile(json, 'utf8')
      .then((s) => JSON.parse(s) as unknown)
      .catch(() => undefined);
    if (Array.isArray(hit)) return { objects: hit as KubeObject[], digest };
    const { text, stored } = await this.#textAt(file, render);
    const objects = await parse(text);
    if (!stored) return { objects };
    await writeCacheFile(json, JSON.stringify(objects), 0o600).catch(() => undefined);
    return { objects, digest };
  }
}

/** `<cache root>/templates` for the `helm` on PATH (see cache-dir.ts); STATELESS_CI_CACHE_DIR=off disables. */
export function templateCacheFor(env: Readonly<Record<string, string | undefined>>, helm = 'helm'): TemplateCache | undefined {
  const root = cacheRootFor(env);
  return root ? new TemplateCache(path.join(root, 'templates'), binaryIdentity(helm, env)) : undefined;
}
