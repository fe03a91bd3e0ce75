/**
 * A small OCI distribution client over an injected fetch (by default keep-alive-fetch.ts, which
 * keeps connections across HEADs, unlike Node's fetch): HEAD/GET manifests, blobs, and pushes,
 * with bearer-token auth (anonymous or with credentials) cached per registry and scope, Basic
 * auth, rate-limit headers surfaced, and 429/5xx turned into RegistryErrors carrying Retry-After.
 * Retrying is the caller's choice (see retry.ts).
 */
import { createHash } from 'node:crypto';
import { RegistryError } from '../errors.ts';
import { keepAliveFetch, type Fetch, type FetchResponse } from './keep-alive-fetch.ts';
import { MANIFEST_ACCEPT } from './media-types.ts';
import type { Reference } from './reference.ts';

export interface RegistryCredentials {
  readonly username: string;
  readonly password: string;
}

export interface RegistryClientOptions {
  /** @default keepAliveFetch */
  readonly fetch?: Fetch;
  /** Credentials for a registry host, if any. */
  readonly credentials?: (registry: string) => RegistryCredentials | undefined;
  /** Hosts spoken to over plain HTTP (loopback registries). Default: 127.x and localhost. */
  readonly plainHttp?: (registry: string) => boolean;
  /** Observes every HTTP request (for request counting). */
  readonly onRequest?: (method: string, url: string, status: number) => void;
}

export interface RateLimit {
  readonly limit?: string;
  readonly remaining?: string;
}

export interface ManifestHead {
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
  readonly rateLimit: RateLimit;
}

export interface Manifest<T = unknown> extends ManifestHead {
  readonly raw: Buffer;
  readonly body: T;
}

const defaultPlain = (r: string) => /^(127\.|localhost(:|$)|\[::1\])/.test(r);

export class RegistryClient {
  readonly #fetch: Fetch;
  readonly #opts: RegistryClientOptions;
  readonly #tokens = new Map<string, string>();

  constructor(opts: RegistryClientOptions = {}) {
    this.#opts = opts;
    this.#fetch = opts.fetch ?? keepAliveFetch;
  }

  #base(registry: string): string {
    return `${(this.#opts.plainHttp ?? defaultPlain)(registry) ? 'http' : 'https'}://${registry}/v2`;
  }

  async #request(ref: Pick<Reference, 'registry' | 'repository'>, method: string, path: string, init: { headers?: Record<string, string>; body?: string | Uint8Array; scope?: 'pull' | 'push,pull' } = {}): Promise<FetchResponse> {
    const url = path.startsWith('http') ? path : `${this.#base(ref.registry)}/${ref.repository}${path}`;
    const scope = `repository:${ref.repository}:${init.scope ?? 'pull'}`;
    const tokenKey = `${ref.registry}|${scope}`;
    const send = async (): Promise<FetchResponse> => {
      const headers: Record<string, string> = { ...init.headers };
      const token = this.#tokens.get(tokenKey);
      if (token) headers.Authorization = token;
      let res: FetchResponse;
      try {
        res = await this.#fetch(url, { method, headers, body: init.body, redirect: 'follow' });
      } catch (e) {
        throw new RegistryError(ref.registry, 0, `cannot be reached: ${(e as Error).message}${(e as { cause?: Error }).cause ? ` (${(e as { cause: Error }).cause.message})` : ''}`, { cause: e });
      }
      this.#opts.onRequest?.(method, url, res.status);
      return res;
    };
    let res = await send();
    if (res.status === 401 && !this.#tokens.has(tokenKey)) {
      const challenge = res.headers.get('www-authenticate') ?? '';
      await res.body?.cancel();
      this.#tokens.set(tokenKey, await this.#authorize(ref.registry, challenge, scope));
      res = await send();
    }
    if (res.status === 401) {
      await res.body?.cancel();
      const creds = this.#opts.credentials?.(ref.registry);
      throw new RegistryError(ref.registry, 401, creds ? `rejected the credentials for ${ref.repository}` : `requires credentials for ${ref.repository}; none were configured (docker config or pull secret)`);
    }
    return res;
  }

  async #authorize(registry: string, challenge: string, scope: string): Promise<string> {
    const creds = this.#opts.credentials?.(registry);
    const basic = creds ? `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}` : undefined;
    if (/^basic/i.test(challenge)) {
      if (!basic) throw new RegistryError(registry, 401, 'requires credentials; none were configured (docker config or pull secret)');
      return basic;
    }
    const params = Object.fromEntries([...challenge.replace(/^bearer\s+/i, '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    if (!params.realm) throw new RegistryError(registry, 401, `sent an authentication challenge the client does not understand: ${challenge.slice(0, 80)}`);
    const url = new URL(params.realm);
    if (params.service) url.searchParams.set('service', params.service);
    url.searchParams.set('scope', params.scope ?? scope);
    let res: FetchResponse;
    try {
      res = await this.#fetch(url, { headers: basic ? { Authorization: basic } : {} });
    } catch (e) {
      throw new RegistryError(registry, 0, `token service ${url.host} cannot be reached: ${(e as Error).message}`, { cause: e });
    }
    this.#opts.onRequest?.('GET', url.toString(), res.status);
    if (!res.ok) {
      await res.body?.cancel();
      throw new RegistryError(registry, res.status, creds ? 'token service rejected the credentials' : 'token service refused anonymous access; configure credentials');
    }
    const body = (await res.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new RegistryError(registry, res.status, 'token service returned no token');
    return `Bearer ${token}`;
  }

  static #check(ref: Reference, res: FetchResponse, what: string): void {
    if (res.ok) return;
    const ra = res.headers.get('retry-after');
    const retryAfterSeconds = ra !== null && /^\d+$/.test(ra) ? Number(ra) : undefined;
    const message = res.status === 404 ? `${what} not found` : res.status === 429 ? `rate limited while reading ${what}` : `failed to read ${what}`;
    throw new RegistryError(ref.registry, res.status, message, { retryAfterSeconds });
  }

  static #rateLimit(res: FetchResponse): RateLimit {
    return { limit: res.headers.get('ratelimit-limit') ?? undefined, remaining: res.headers.get('ratelimit-remaining') ?? undefined };
  }

  /** HEAD a manifest: its digest without spending pull quota. */
  async headManifest(ref: Reference): Promise<ManifestHead> {
    const what = `${ref.repository}:${ref.tag ?? ref.digest}`;
    const res = await this.#request(ref, 'HEAD', `/manifests/${ref.digest ?? ref.tag}`, { headers: { Accept: MANIFEST_ACCEPT } });
    RegistryClient.#check(ref, res, what);
    const digest = res.headers.get('docker-content-digest');
    if (!digest) throw new RegistryError(ref.registry, res.status, `returned no Docker-Content-Digest for ${what}`);
    return { digest, mediaType: res.headers.get('content-type') ?? '', size: Number(res.headers.get('content-length') ?? 0), rateLimit: RegistryClient.#rateLimit(res) };
  }

  async getManifest<T = unknown>(ref: Reference, accept = MANIFEST_ACCEPT): Promise<Manifest<T>> {
    const what = `${ref.repository}:${ref.tag ?? ref.digest}`;
    const res = await this.#request(ref, 'GET', `/manifests/${ref.digest ?? ref.tag}`, { headers: { Accept: accept } });
    RegistryClient.#check(ref, res, what);
    const raw = Buffer.from(await res.arrayBuffer());
    const digest = res.headers.get('docker-content-digest') ?? sha256(raw);
    return { digest, mediaType: res.headers.get('content-type') ?? '', size: raw.length, rateLimit: RegistryClient.#rateLimit(res), raw, body: JSON.parse(raw.toString('utf8')) as T };
  }

  async getBlob(ref: Reference, digest: string): Promise<Buffer> {
    const res = await this.#request(ref, 'GET', `/blobs/${digest}`);
    RegistryClient.#check(ref, res, `blob ${digest}`);
    const buf = Buffer.from(await res.arrayBuffer());
    if (sha256(buf) !== digest) throw new RegistryError(ref.registry, res.status, `blob ${digest} failed digest verification`);
    return buf;
  }

  /** Uploads a blob (monolithic POST+PUT) unless it is already there; returns its digest. */
  async pushBlob(ref: Reference, data: Buffer): Promise<string> {
    const digest = sha256(data);
    const head = await this.#request(ref, 'HEAD', `/blobs/${digest}`, { scope: 'push,pull' });
    if (head.ok) return digest;
    const start = await this.#request(ref, 'POST', '/blobs/uploads/', { scope: 'push,pull' });
    if (start.status !== 202) RegistryClient.#check(ref, start, 'upload session');
    const location = new URL(start.headers.get('location') ?? '', `${this.#base(ref.registry)}/`);
    location.searchParams.set('digest', digest);
    const put = await this.#request(ref, 'PUT', location.toString(), { scope: 'push,pull', body: data, headers: { 'Content-Type': 'application/octet-stream' } });
    if (put.status !== 201) RegistryClient.#check(ref, put, `blob upload ${digest}`);
    return digest;
  }

  /** Puts a manifest under a tag; returns its digest. */
  async pushManifest(ref: Reference, manifest: unknown, mediaType: string): Promise<string> {
    const raw = Buffer.from(JSON.stringify(manifest));
    const res = await this.#request(ref, 'PUT', `/manifests/${ref.tag ?? sha256(raw)}`, { scope: 'push,pull', body: raw, headers: { 'Content-Type': mediaType } });
    if (res.status !== 201) RegistryClient.#check(ref, res, `manifest ${ref.tag}`);
    return sha256(raw);
  }
}

export const sha256 = (data: Buffer): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;
