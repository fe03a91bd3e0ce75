/**
 * The helm CLI, driven through the injected shell. Only flags that helm 3.x and 4.x share are used;
 * waiting and rollback are done by the tool itself (watches, recorded revisions), not by helm flags.
 */
import { createHash } from 'node:crypto';
import { access, mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import type { KubeObject } from '../kube/kube-object.ts';
import type { Redactor } from '../redact.ts';
import type { ManifestCache } from '../manifest-cache.ts';
import type { ChartStore } from './chart-store.ts';
import type { TemplateCache } from './template-cache.ts';
import { parseManifests } from '../yaml-docs.ts';
import { deepFreeze } from '../deep-freeze.ts';
import { LISTED_STATUSES, type HelmReleaseStore, type StoredRelease } from './helm-releases.ts';
import { CommandError } from '../errors.ts';
import type { ResolvedSource } from '../config/sources.ts';
import { run, type Shell } from './shell.ts';

export interface HelmRelease {
  readonly name: string;
  readonly namespace: string;
  readonly revision: number;
  readonly status: string;
  readonly chart: string;
  readonly appVersion: string;
}

export interface HelmHistoryEntry {
  readonly revision: number;
  readonly status: string;
  readonly chart: string;
  readonly description: string;
}

export interface HelmTarget {
  readonly kubeconfig?: string;
  readonly context?: string;
}

export type TemplateOptions = Omit<InstallOptions, 'timeoutMs' | 'dryRun' | 'skipCrds'> & { readonly includeCrds?: boolean };

export interface InstallOptions {
  readonly release: string;
  readonly namespace: string;
  readonly chart: ResolvedSource;
  readonly values: unknown;
  readonly noHooks?: boolean;
  /** Leave the chart's crds/ alone (the tool applies CRDs itself, server-side). */
  readonly skipCrds?: boolean;
  readonly timeoutMs?: number;
  readonly dryRun?: boolean;
  /**
   * The caller read no revision of this release (under the deploy lock): run `helm install`, not
   * `helm upgrade --install`, which first reads the history and then starts over as an install.
   * When helm finds the name kept in history after all, the upgrade path runs as before.
   */
  readonly absent?: boolean;
}

/**
 * Work one run does once: each OCI chart pulled once into `dir`, each `helm template` of the same
 * chart and values rendered once. Both are fully determined by their inputs (templates run without
 * a cluster, so `lookup` returns nothing), so sharing them within a run changes no result.
 */
export class HelmRunCache {
  readonly dir: string;
  readonly charts = new Map<string, Promise<ResolvedSource>>();
  readonly templates = new Map<string, Promise<string>>();
  /** Parsed renders by their text: ARC's CRDs are 3 MB of YAML, about 300 ms of CPU to parse. */
  readonly parsed = new Map<string, readonly KubeObject[]>();
  /** Local chart directories without `crds/`, by archive path. */
  readonly withoutCrds = new Map<string, Promise<string>>();
  /** SHA-256 of local chart archives, by path. */
  readonly archiveDigests = new Map<string, Promise<string>>();
  /** Parsed renders by their `helm template` call, when the template cache is on. */
  readonly parsedRenders = new Map<string, Promise<readonly KubeObject[]>>();
  /** Values derived from renders (`Helm.once`), by the caller's key. */
  readonly derived = new Map<string, Promise<unknown>>();
  /** What identifies each parsed render's text (its SHA-256, or its template-cache entry), for `Helm.keep`. */
  readonly digests = new WeakMap<readonly KubeObject[], string>();
  /** Parsed large renders across runs. */
  readonly manifests: ManifestCache | undefined;
  /** OCI charts across runs, by digest; `helm pull` when absent or when it cannot read a chart. */
  readonly chartStore: ChartStore | undefined;
  /** `helm template` output across runs. */
  readonly renders: TemplateCache | undefined;
  constructor(dir: string, manifests?: ManifestCache, across: { charts?: ChartStore; renders?: TemplateCache } = {}) {
    this.dir = dir;
    this.manifests = manifests;
    this.chartStore = across.charts;
    this.renders = across.renders;
  }

  archiveDigest(file: string): Promise<string> {
    let d = this.archiveDigests.get(file);
    if (!d) {
      d = readFile(file).then((b) => createHash('sha256').update(b).digest('hex'));
      this.archiveDigests.set(file, d);
    }
    return d;
  }
}

/** The revision `helm install` / `helm upgrade` reports in its output ("REVISION: 3"), if any. Pure. */
export function revisionInOutput(out: string): number | undefined {
  const m = /^REVISION: (\d+)\s*$/m.exec(out);
  return m ? Number(m[1]) : undefined;
}

const isLocal = (ref: string) => !/^(oci|https?):\/\//.test(ref);
const WITHOUT_CRDS = '.without-crds';
/** helm install's refusal of a name that has a revision (helm 3 spells it "re-use"). */
const NAME_IN_USE = /cannot re-?use a name that is still in use/;

export class Helm {
  readonly #sh: Shell;
  readonly #target: HelmTarget;
  readonly #redactor: Redactor | undefined;
  readonly #cache: HelmRunCache | undefined;
  readonly #store: HelmReleaseStore | undefined;
  readonly binary: string;

  /** With a release store, reads (status, history, values, manifest) go to the API, not to helm processes. */
  constructor(sh: Shell, target: HelmTarget = {}, redactor?: Redactor, binary = 'helm', cache?: HelmRunCache, store?: HelmReleaseStore) {
    this.#sh = sh;
    this.#target = target;
    this.#redactor = redactor;
    this.binary = binary;
    this.#cache = cache;
    this.#store = store;
  }

  /** The chart as a local archive when a run cache is set (pulled once), else as given. */
  async #local(chart: ResolvedSource): Promise<ResolvedSource> {
    const cache = this.#cache;
    if (!cache || isLocal(chart.ref)) return chart;
    const key = `${chart.ref}@${chart.version}`;
    let pulled = cache.charts.get(key);
    if (!pulled) {
      pulled = (async () => {
        // A private registry only helm's `registry login` can read makes the store throw: helm pulls then.
        const stored = cache.chartStore && chart.ref.startsWith('oci://') ? await cache.chartStore.fetch(chart).catch(() => undefined) : undefined;
        if (stored) return { ...chart, ref: stored.path, plainHttp: false };
        const dest = path.join(cache.dir, 'charts', createHash('sha256').update(key).digest('hex').slice(0, 16));
        await mkdir(dest, { recursive: true });
        await this.pull(chart, dest);
        const tgz = (await readdir(dest)).find((f) => f.endsWith('.tgz'));
        if (!tgz) throw new Error(`helm pull ${chart.ref} ${chart.version} left no chart archive`);
        return { ...chart, ref: path.join(dest, tgz), plainHttp: false };
      })();
      cache.charts.set(key, pulled);
      pulled.catch(() => cache.charts.delete(key));
    }
    return pulled;
  }

  #global(): string[] {
    const a: string[] = [];
    if (this.#target.kubeconfig) a.push('--kubeconfig', this.#target.kubeconfig);
    if (this.#target.context) a.push('--kube-context', this.#target.context);
    return a;
  }

  async #run(args: string[], input?: string): Promise<string> {
    return (await run(this.#sh, this.binary, args, this.#redactor, { input })).stdout;
  }

  static chartArgs(chart: ResolvedSource): string[] {
    if (isLocal(chart.ref) && (chart.ref.endsWith('.tgz') || chart.ref.endsWith(WITHOUT_CRDS))) return [chart.ref];
    return [chart.ref, '--version', chart.version, ...(chart.plainHttp ? ['--plain-http'] : [])];
  }

  async version(): Promise<string> {
    return (await this.#run(['version', '--short'])).trim();
  }

  /** `helm template` arguments and the values text (stdin) for a render, with the chart made local. */
  async #templateCall(o: TemplateOptions): Promise<{ args: string[]; values: string; archive?: string }> {
    const chart = await this.#local(o.chart);
    const args = ['template', o.release, ...Helm.chartArgs(chart), '--namespace', o.namespace, '--values', '-'];
    if (o.noHooks) args.push('--no-hooks');
    if (o.includeCrds) args.push('--include-crds');
    return { args, values: stringify(o.values ?? {}, { version: '1.1' }), archive: chart.ref.endsWith('.tgz') ? chart.ref : undefined };
  }

  /** Renders a chart without a cluster. Values go through stdin, so nothing lands on disk. */
  async template(o: TemplateOptions): Promise<string> {
    const { args, values, archive } = await this.#templateCall(o);
    const cache = this.#cache;
    if (!cache) return this.#run(args, values);
    const key = JSON.stringify([args, values]);
    let out = cache.templates.get(key);
    if (!out) {
      const renders = cache.renders;
      out =
        renders && archive
          ? cache.archiveDigest(archive).then((chartSha256) => renders.render({ chartSha256, args: args.filter((a) => a !== archive), values }, () => this.#run(args, values)))
          : this.#run(args, values);
      cache.templates.set(key, out);
      out.catch(() => cache.templates.delete(key));
    }
    return out;
  }

  /** `template`, parsed. Within a run each render is parsed once; every caller gets its own copy. */
  async templateObjects(o: TemplateOptions, source: string): Promise<KubeObject[]> {
    return structuredClone(await this.#parsed(o, source)) as KubeObject[];
  }

  /**
   * `templateObjects` without the copy: the run's parsed objects themselves, deeply frozen. For
   * values computed once per run (`once`), which are frozen and shared anyway; ARC's controller
   * render is 3 MB, and copying it costs more than parsing the cached JSON.
   */
  async templateObjectsFrozen(o: TemplateOptions, source: string): Promise<readonly KubeObject[]> {
    return deepFreeze(await this.#parsed(o, source));
  }

  /**
   * With the template cache, a stored render comes back parsed from its JSON entry, the text
   * neither read nor hashed (see `TemplateCache.parsed`); once per run either way.
   */
  async #parsed(o: TemplateOptions, source: string): Promise<readonly KubeObject[]> {
    const cache = this.#cache;
    const renders = cache?.renders;
    if (!cache || !renders) return this.#parse(await this.template(o), source);
    const { args, values, archive } = await this.#templateCall(o);
    if (!archive) return this.#parse(await this.template(o), source);
    const key = JSON.stringify([args, values]);
    let parsed = cache.parsedRenders.get(key);
    if (!parsed) {
      parsed = cache
        .archiveDigest(archive)
        .then((chartSha256) => renders.parsed({ chartSha256, args: args.filter((a) => a !== archive), values }, () => this.#run(args, values), async (text) => parseManifests(text, source)))
        .then((p) => {
          if (p.digest) cache.digests.set(p.objects, p.digest);
          return p.objects;
        });
      cache.parsedRenders.set(key, parsed);
      parsed.catch(() => cache.parsedRenders.delete(key));
    }
    return parsed;
  }

  /**
   * Any manifest text (a render, upstream release YAML) parsed through the run's caches: once per
   * run, and from the JSON cache across runs. Every caller gets its own copy.
   */
  async parseManifests(text: string, source: string): Promise<KubeObject[]> {
    return structuredClone(await this.#parse(text, source)) as KubeObject[];
  }

  async #parse(text: string, source: string): Promise<readonly KubeObject[]> {
    if (!this.#cache) return parseManifests(text, source);
    let objects = this.#cache.parsed.get(text);
    if (!objects) {
      if (this.#cache.manifests) {
        const parsed = await this.#cache.manifests.parse(text, source);
        objects = parsed.objects;
        if (parsed.digest) this.#cache.digests.set(objects, parsed.digest);
      } else {
        objects = parseManifests(text, source);
      }
      this.#cache.parsed.set(text, objects);
    }
    return objects;
  }

  /**
   * A value derived from renders, computed once per run and shared, deeply frozen, by every caller
   * with the same key (ARC's stamped CRDs are hashed once, not at render, plan, stage and apply).
   * The key must name every input of `compute`. A failure is not kept: the next call computes
   * again. Without a run cache it computes every time.
   */
  async once<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const cache = this.#cache;
    if (!cache) return compute();
    let v = cache.derived.get(key) as Promise<T> | undefined;
    if (!v) {
      v = compute().then(deepFreeze);
      cache.derived.set(key, v);
      v.catch(() => cache.derived.delete(key));
    }
    return v;
  }

  /**
   * A JSON value computed from a render that `templateObjectsFrozen` returned, kept across runs by
   * what identifies the render's text: its SHA-256, or its template-cache entry, whose text is
   * fixed once stored (see `ManifestCache.derived`). `name` identifies `compute`
   * and must change whenever its result would. Computes every time when the render has no digest
   * (no cache, a small text, or objects from anywhere else).
   */
  async keep<T>(name: string, from: readonly KubeObject[], compute: () => T): Promise<T> {
    const digest = this.#cache?.digests.get(from);
    const manifests = this.#cache?.manifests;
    return digest && manifests ? manifests.derived(name, digest, compute) : compute();
  }

  /**
   * With --skip-crds helm still loads `crds/` and stores it in every release revision's Secret:
   * for ARC's controller chart that is 2.9 MB of YAML and about half a second of helm CPU per
   * upgrade. The tool applies CRDs itself, so the release gets the chart without them.
   */
  async #installable(chart: ResolvedSource, skipCrds: boolean | undefined): Promise<ResolvedSource> {
    const local = await this.#local(chart);
    const cache = this.#cache;
    if (!skipCrds || !cache || !local.ref.endsWith('.tgz')) return local;
    let dir = cache.withoutCrds.get(local.ref);
    if (!dir) {
      dir = (async () => {
        // Next to the archive: in the chart store it is kept across runs, so it appears atomically.
        const d = `${local.ref.slice(0, -'.tgz'.length)}${WITHOUT_CRDS}`;
        if (await access(d).then(() => true, () => false)) return d;
        const tmp = `${d}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
        await mkdir(tmp, { recursive: true });
        await run(this.#sh, 'tar', ['-xzf', local.ref, '-C', tmp, '--strip-components=1', '--exclude=*/crds/*', '--exclude=*/crds'], this.#redactor);
        // Another run may have finished first: its copy is the same.
        await rename(tmp, d).catch(() => rm(tmp, { recursive: true, force: true }));
        return d;
      })();
      cache.withoutCrds.set(local.ref, dir);
      dir.catch(() => cache.withoutCrds.delete(local.ref));
    }
    return { ...local, ref: await dir };
  }

  async upgradeInstall(o: InstallOptions): Promise<string> {
    const chart = Helm.chartArgs(await this.#installable(o.chart, o.skipCrds));
    const flags = ['--namespace', o.namespace, '--values', '-', ...this.#global()];
    if (o.noHooks) flags.push('--no-hooks');
    if (o.skipCrds) flags.push('--skip-crds');
    if (o.timeoutMs) flags.push('--timeout', `${Math.ceil(o.timeoutMs / 1000)}s`);
    if (o.dryRun) flags.push('--dry-run=server');
    // No --create-namespace either: callers apply their namespaces first. helm v4.3 builds the
    // namespace it creates with OpenAPI validation on whatever the flag below says, which fetches
    // and parses the core/v1 OpenAPI document: ~60 ms of helm CPU per process (measured).
    // Client-side OpenAPI validation makes every helm process fetch and parse the cluster's OpenAPI
    // v3 documents: 100-150 ms of helm CPU per upgrade (measured), plus the API server serving them.
    // It cannot catch anything here: values are generated from the validated cluster file (there
    // are no free-form values), the charts are pinned upstream ones, and the API server still
    // rejects every object whose fields have the wrong types.
    flags.push('--disable-openapi-validation');
    const values = stringify(o.values ?? {}, { version: '1.1' });
    if (o.absent && !o.dryRun) {
      // `upgrade --install` first checks the version and reads the history (2 requests), then starts
      // over as this install. helm refuses a name it still holds before it writes anything, so
      // falling back to the upgrade path is safe.
      try {
        return await this.#run(['install', o.release, ...chart, ...flags], values);
      } catch (e) {
        if (!NAME_IN_USE.test((e as Error).message)) throw e;
      }
    }
    return this.#run(['upgrade', '--install', o.release, ...chart, ...flags], values);
  }

  async status(release: string, namespace: string): Promise<HelmRelease | undefined> {
    if (this.#store) {
      const last = await this.#store.latest(release, namespace);
      if (!last || !LISTED_STATUSES.includes(last.status)) return undefined;
      const m = last.load().chart.metadata;
      return { name: release, namespace, revision: last.revision, status: last.status, chart: `${m.name}-${m.version}`, appVersion: m.appVersion ?? '' };
    }
    // helm 4 dropped --all; these three flags exist in helm 3 and 4 and cover every live state.
    const out = await this.#run(['list', '--namespace', namespace, '--filter', `^${release}$`, '--deployed', '--failed', '--pending', '--output', 'json', ...this.#global()]);
    const rows = JSON.parse(out || '[]') as { name: string; namespace: string; revision: string; status: string; chart: string; app_version: string }[];
    const r = rows.find((x) => x.name === release);
    return r && { name: r.name, namespace: r.namespace, revision: Number(r.revision), status: r.status, chart: r.chart, appVersion: r.app_version };
  }

  async history(release: string, namespace: string): Promise<HelmHistoryEntry[]> {
    if (this.#store) {
      return (await this.#store.revisions(release, namespace)).map((r) => {
        const rel = r.load();
        return { revision: r.revision, status: r.status, chart: `${rel.chart.metadata.name}-${rel.chart.metadata.version}`, description: rel.info.description ?? '' };
      });
    }
    const out = await this.#run(['history', release, '--namespace', namespace, '--output', 'json', ...this.#global()]).catch((e: Error) => {
      if (/not found/i.test(e.message)) return '[]';
      throw e;
    });
    return (JSON.parse(out || '[]') as { revision: number; status: string; chart: string; description: string }[]).map((h) => ({ revision: h.revision, status: h.status, chart: h.chart, description: h.description }));
  }

  /** The user-supplied values of the deployed revision. */
  async getValues(release: string, namespace: string): Promise<unknown> {
    if (this.#store) return (await this.#latest(release, namespace)).config ?? null;
    return JSON.parse((await this.#run(['get', 'values', release, '--namespace', namespace, '--output', 'json', ...this.#global()])) || 'null');
  }

  async getManifest(release: string, namespace: string): Promise<string> {
    // `helm get manifest` prints it with Println: the same text, one newline more.
    if (this.#store) return `${(await this.#latest(release, namespace)).manifest ?? ''}\n`;
    return this.#run(['get', 'manifest', release, '--namespace', namespace, ...this.#global()]);
  }

  async #latest(release: string, namespace: string): Promise<StoredRelease> {
    const last = await this.#store!.latest(release, namespace);
    // The same words as helm's own error, which callers already match.
    if (!last) throw new CommandError(`helm get ${release}`, 1, `Error: release: not found`);
    return last.load();
  }

  async rollback(release: string, namespace: string, revision: number): Promise<void> {
    await this.#run(['rollback', release, String(revision), '--namespace', namespace, ...this.#global()]);
  }

  async uninstall(release: string, namespace: string, opts: { noHooks?: boolean } = {}): Promise<void> {
    const args = ['uninstall', release, '--namespace', namespace, ...this.#global()];
    if (opts.noHooks) args.push('--no-hooks');
    await this.#run(args);
  }

  /** Pulls a chart into a directory (for up-front fetching and reachability checks). */
  async pull(chart: ResolvedSource, destination: string): Promise<void> {
    await this.#run(['pull', ...Helm.chartArgs(chart), '--destination', destination]);
  }
}
