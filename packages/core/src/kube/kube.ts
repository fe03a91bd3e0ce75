/**
 * A thin client over @kubernetes/client-node: generic object CRUD with server-side apply, watches
 * that re-establish themselves, raw GETs (for pod proxies and metrics), API errors turned into
 * KubeApiError, and a per-verb request counter so benchmarks can report request counts.
 */
import https from 'node:https';
import { ApiException, KubeConfig, KubernetesObjectApi, PatchStrategy, Watch, type KubernetesObject } from '@kubernetes/client-node';
import { KubeApiError } from '../errors.ts';
import type { KubeObject, ObjectKey } from './kube-object.ts';
import { shareAgents, type SharedAgents } from './shared-agent.ts';

export const FIELD_MANAGER = 'stateless-ci';
/** Accept header for metadata-only answers (reads and writes alike). */
const METADATA_ONLY = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';
const METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'apply' | 'delete' | 'raw';

export interface WatchOptions<T> {
  /** API path, e.g. /apis/apps/v1/namespaces/spegel/daemonsets */
  readonly path: string;
  readonly query?: Record<string, string>;
  /** Called for every event; resolve the wait by returning a value other than undefined. */
  readonly until: (type: string, obj: T, all: ReadonlyMap<string, T>) => unknown;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly description: string;
}

type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export interface RawResponse {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

export class Kube {
  readonly kc: KubeConfig;
  readonly #objects: KubernetesObjectApi;
  readonly #agents: SharedAgents;
  readonly counts: Record<Verb, number> = { get: 0, list: 0, watch: 0, create: 0, update: 0, apply: 0, delete: 0, raw: 0 };

  constructor(kc: KubeConfig) {
    this.kc = kc;
    this.#agents = shareAgents(kc);
    this.#objects = KubernetesObjectApi.makeApiClient(kc);
  }

  /** Closes the pooled connections (idle ones never keep the process alive). */
  close(): void {
    this.#agents.destroy();
  }

  get contextName(): string {
    return this.kc.getCurrentContext();
  }

  get server(): string {
    return this.kc.getCurrentCluster()?.server ?? '(unknown server)';
  }

  async read<T extends KubeObject = KubeObject>(key: ObjectKey): Promise<T | undefined> {
    this.counts.get++;
    try {
      return (await this.#objects.read({ apiVersion: key.apiVersion, kind: key.kind, metadata: { name: key.name, namespace: key.namespace } })) as unknown as T;
    } catch (e) {
      const err = toKubeError(e);
      if (err instanceof KubeApiError && err.code === 404) return undefined;
      throw err;
    }
  }

  async list<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, opts: { namespace?: string; labelSelector?: string; fieldSelector?: string } = {}): Promise<T[]> {
    this.counts.list++;
    try {
      const res = await this.#objects.list(apiVersion, kind, opts.namespace, undefined, undefined, undefined, opts.fieldSelector, opts.labelSelector);
      return res.items as unknown as T[];
    } catch (e) {
      throw toKubeError(e);
    }
  }

  /** Lists a collection by its API path (no discovery); non-200 answers throw KubeApiError. */
  /**
   * `listAt`, metadata only (PartialObjectMetadataList). A list is a consistent read served from
   * the API server's watch cache, while a GET reads etcd and decodes the whole stored object: for
   * one of ARC's 700 KB CRDs, `readMetadataAt` cost the API server ~15 ms of CPU, a list by
   * `fieldSelector=metadata.name=…` a fraction of a millisecond (measured on the harness).
   */
  async listMetadataAt(path: string): Promise<KubeObject[]> {
    return this.listAt(path, { Accept: METADATA_LIST });
  }

  async listAt<T extends KubeObject = KubeObject>(path: string, headers: Record<string, string> = {}): Promise<T[]> {
    this.counts.list++;
    const res = await this.#send('GET', path, undefined, headers);
    if (res.status !== 200) throw statusError(res.status, res.body, headerOf(res.headers, 'retry-after'));
    return (JSON.parse(res.body) as { items: T[] | null }).items ?? []; // an empty metadata list says null
  }

  /**
   * Server-side apply. `dryRun` asks the API server to run admission and validation only;
   * `ifResourceVersion` makes the apply conditional (409 Conflict when the object moved on).
   */
  async apply<T extends KubeObject = KubeObject>(obj: KubeObject, opts: { dryRun?: boolean; force?: boolean; ifResourceVersion?: string } = {}): Promise<T> {
    this.counts.apply++;
    try {
      const stripped = stripServerFields(obj);
      const body = (opts.ifResourceVersion ? { ...stripped, metadata: { ...stripped.metadata, resourceVersion: opts.ifResourceVersion } } : stripped) as KubernetesObject;
      return (await this.#objects.patch(body, undefined, opts.dryRun ? 'All' : undefined, FIELD_MANAGER, opts.force ?? true, PatchStrategy.ServerSideApply)) as unknown as T;
    } catch (e) {
      throw toKubeError(e);
    }
  }

  /**
   * Writes an object the tool owns whole, by its path: created when absent (POST), else replaced
   * (PUT at the resourceVersion just read; a concurrent change is read again, up to 3 times). Sent
   * as JSON without client-node's typed (de)serialization and answered with metadata only
   * (PartialObjectMetadata). For very large objects (ARC's CRDs: 700 KB each): a server-side apply
   * made the API server parse the body as YAML and merge field ownership over the whole schema,
   * ~0.4 s of its CPU for ARC's four CRDs; a replace also drops every field the object no longer
   * has, whoever wrote it.
   */
  async writeMetadataAt(path: string, obj: KubeObject): Promise<KubeObject> {
    const query = new URLSearchParams({ fieldManager: FIELD_MANAGER }).toString();
    const body = stripServerFields(obj);
    const headers = { Accept: METADATA_ONLY };
    let res: RawResponse;
    for (let attempt = 0; ; attempt++) {
      // First a create; after a 409 (it exists, or changed under us) a replace of what is there now.
      const live = attempt === 0 ? undefined : await this.readMetadataAt(path);
      if (live) {
        this.counts.update++;
        res = await this.#send('PUT', `${path}?${query}`, JSON.stringify({ ...body, metadata: { ...body.metadata, resourceVersion: live.metadata.resourceVersion } }), headers);
      } else {
        this.counts.create++;
        res = await this.#send('POST', `${path.slice(0, path.lastIndexOf('/'))}?${query}`, JSON.stringify(body), headers);
      }
      if (res.status !== 409 || attempt >= 3) break;
    }
    if (res.status !== 200 && res.status !== 201) throw statusError(res.status, res.body, headerOf(res.headers, 'retry-after'));
    return JSON.parse(res.body) as KubeObject;
  }

  /** An object's metadata only (PartialObjectMetadata), by path; undefined when absent. */
  async readMetadataAt(path: string): Promise<KubeObject | undefined> {
    this.counts.get++;
    const res = await this.#send('GET', path, undefined, { Accept: METADATA_ONLY });
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw statusError(res.status, res.body, headerOf(res.headers, 'retry-after'));
    return JSON.parse(res.body) as KubeObject;
  }

  async create<T extends KubeObject = KubeObject>(obj: KubeObject, opts: { dryRun?: boolean } = {}): Promise<T> {
    this.counts.create++;
    try {
      return (await this.#objects.create(obj as KubernetesObject, undefined, opts.dryRun ? 'All' : undefined, FIELD_MANAGER)) as unknown as T;
    } catch (e) {
      throw toKubeError(e);
    }
  }

  /** Deletes; a missing object is not an error. Returns whether something was deleted. */
  async delete(key: ObjectKey, opts: { propagation?: 'Foreground' | 'Background' } = {}): Promise<boolean> {
    this.counts.delete++;
    try {
      await this.#objects.delete(
        { apiVersion: key.apiVersion, kind: key.kind, metadata: { name: key.name, namespace: key.namespace } },
        undefined,
        undefined,
        undefined,
        undefined,
        opts.propagation ?? 'Background',
      );
      return true;
    } catch (e) {
      const err = toKubeError(e);
      if (err instanceof KubeApiError && err.code === 404) return false;
      throw err;
    }
  }

  /** A raw request against the API server, e.g. a pod proxy path. Returns status and body. */
  async raw(method: HttpMethod, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
    this.counts.raw++;
    return this.#send(method, path, body, headers);
  }

  async #send(method: HttpMethod, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
    const url = new URL(path, this.server);
    const opts: https.RequestOptions = { method, headers: { Accept: 'application/json', 'User-Agent': 'stateless-ci', ...headers } };
    await this.kc.applyToHTTPSOptions(opts);
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    if (payload !== undefined && !headers['Content-Type']) (opts.headers as Record<string, string>)['Content-Type'] = 'application/json';
    return new Promise((resolve, reject) => {
      const req = https.request(url, opts, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.setTimeout(30_000, () => req.destroy(new Error(`request to ${url.pathname} timed out after 30s`)));
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /**
   * Lists then watches a collection until `until` returns a value, re-watching from the last
   * resourceVersion when the server closes the stream. One list plus one watch per stream, whatever
   * the number of objects. Rejects with a clear message on timeout.
   */
  async waitFor<T extends KubeObject, R>(o: WatchOptions<T>): Promise<R> {
    const objects = new Map<string, T>();
    const keyFor = (obj: T) => `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
    return new Promise<R>((resolve, reject) => {
      let settled = false;
      let controller: AbortController | undefined;
      let resourceVersion: string | undefined;
      const finish = (err: Error | undefined, value?: R) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        o.signal?.removeEventListener('abort', onAbort);
        controller?.abort();
        if (err) reject(err);
        else resolve(value as R);
      };
      const timer = setTimeout(() => finish(new Error(`timed out after ${Math.round(o.timeoutMs / 1000)}s waiting for ${o.description}`)), o.timeoutMs);
      const onAbort = () => finish(new Error(`aborted while waiting for ${o.description}`));
      o.signal?.addEventListener('abort', onAbort);
      const check = (type: string, obj: T) => {
        const r = o.until(type, obj, objects);
        if (r !== undefined && r !== false) finish(undefined, r as R);
      };
      const start = async (): Promise<void> => {
        if (settled) return;
        try {
          if (resourceVersion === undefined) {
            this.counts.list++;
            const res = await this.#send('GET', `${o.path}?${new URLSearchParams(o.query ?? {}).toString()}`);
            if (res.status !== 200) throw statusError(res.status, res.body);
            const list = JSON.parse(res.body) as { items: T[]; metadata: { resourceVersion: string } };
            resourceVersion = list.metadata.resourceVersion;
            for (const item of list.items) objects.set(keyFor(item), item);
            check('SYNC', undefined as unknown as T);
            if (settled) return;
          }
          this.counts.watch++;
          controller = await new Watch(this.kc).watch(
            o.path,
            { ...o.query, resourceVersion, allowWatchBookmarks: true },
            (type, obj: T) => {
              if (obj?.metadata?.resourceVersion) resourceVersion = obj.metadata.resourceVersion;
              if (type === 'BOOKMARK') return;
              if (type === 'ERROR') {
                // 410 Gone: our resourceVersion expired; start over with a fresh list.
                resourceVersion = undefined;
                objects.clear();
                return;
              }
              if (type === 'DELETED') objects.delete(keyFor(obj));
              else objects.set(keyFor(obj), obj);
              check(type, obj);
            },
            (err) => {
              if (settled) return;
              // Normal close or a broken connection (API server restart): resume after a short pause.
              setTimeout(() => void start(), err ? 500 : 0);
            },
          );
        } catch (e) {
          if (settled) return;
          const err = toKubeError(e);
          if (err instanceof KubeApiError && err.code < 500 && err.code !== 429 && err.code !== 410) return finish(err);
          setTimeout(() => void start(), 500);
        }
      };
      void start();
    });
  }
}

function stripServerFields(obj: KubeObject): KubeObject {
  const { resourceVersion: _rv, uid: _uid, generation: _g, creationTimestamp: _c, managedFields: _m, ...metadata } = obj.metadata as KubeObject['metadata'] & { managedFields?: unknown };
  const { status: _s, ...rest } = obj;
  return { ...rest, metadata } as KubeObject;
}

function headerOf(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function statusError(code: number, body: string, retryAfter?: string): KubeApiError {
  let reason = 'Error';
  let message = body.slice(0, 300);
  try {
    const s = JSON.parse(body) as { reason?: string; message?: string };
    reason = s.reason ?? reason;
    message = s.message ?? message;
  } catch {
    /* body was not a Status */
  }
  const ra = retryAfter !== undefined ? Number(retryAfter) : undefined;
  return new KubeApiError(code, reason, message, { retryAfterSeconds: ra !== undefined && Number.isFinite(ra) ? ra : undefined });
}

/** Turns client-node's ApiException (JSON string body) into a KubeApiError; other errors pass through. */
export function toKubeError(e: unknown): unknown {
  if (e instanceof KubeApiError) return e;
  if (e instanceof ApiException) {
    const headers = (e.headers ?? {}) as Record<string, string>;
    return statusError(e.code, typeof e.body === 'string' ? e.body : JSON.stringify(e.body ?? ''), headers['retry-after']);
  }
  return e;
}
