/** A minimal Kubernetes REST client over node:https with the harness's client certificate. */
import { Agent, request as httpsRequest } from 'node:https';
import { readFile } from 'node:fs/promises';
import { KubeApiError } from './errors.ts';

export interface KubeCredentials {
  readonly server: string; // https://127.0.0.1:6443
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

export interface KubeResponse {
  readonly status: number;
  readonly body: string;
}

export interface WatchEvent<T> {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  readonly object: T;
}

export interface KubeClient {
  raw(method: string, path: string, body?: unknown, contentType?: string): Promise<KubeResponse>;
  get<T>(path: string): Promise<T>;
  create<T>(path: string, body: unknown): Promise<T>;
  /** Deletes; a 404 counts as success. */
  remove(path: string): Promise<void>;
  /** Streams watch events until `onEvent` returns true (done) or the signal aborts. */
  watch<T>(path: string, onEvent: (e: WatchEvent<T>) => boolean | void, signal?: AbortSignal): Promise<void>;
  close(): void;
}

export async function credentialsFromFiles(server: string, caFile: string, certFile: string, keyFile: string): Promise<KubeCredentials> {
  const [ca, cert, key] = await Promise.all([readFile(caFile, 'utf8'), readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
  return { server, ca, cert, key };
}

export function createKubeClient(c: KubeCredentials, maxSockets = 64): KubeClient {
  const agent = new Agent({ keepAlive: true, maxSockets, ca: c.ca, cert: c.cert, key: c.key });
  const base = new URL(c.server);

  const open = (method: string, path: string, body: unknown, contentType: string, signal?: AbortSignal) =>
    new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
      const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      const req = httpsRequest(
        {
          agent,
          host: base.hostname,
          port: base.port,
          path,
          method,
          signal,
          headers: {
            accept: 'application/json',
            ...(payload === undefined ? {} : { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) }),
          },
        },
        resolve,
      );
      req.on('error', reject);
      req.end(payload);
    });

  const raw = async (method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<KubeResponse> => {
    const res = await open(method, path, body, contentType);
    let text = '';
    res.setEncoding('utf8');
    for await (const chunk of res) text += chunk as string;
    return { status: res.statusCode ?? 0, body: text };
  };

  const json = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const r = await raw(method, path, body);
    if (r.status < 200 || r.status >= 300) throw new KubeApiError(method, path, r.status, r.body);
    return JSON.parse(r.body) as T;
  };

  return {
    raw,
    get: (path) => json('GET', path),
    create: (path, body) => json('POST', path, body),
    async remove(path) {
      const r = await raw('DELETE', path);
      if (r.status !== 404 && (r.status < 200 || r.status >= 300)) throw new KubeApiError('DELETE', path, r.status, r.body);
    },
    async watch<T>(path: string, onEvent: (e: WatchEvent<T>) => boolean | void, signal?: AbortSignal) {
      const sep = path.includes('?') ? '&' : '?';
      const res = await open('GET', `${path}${sep}watch=1&allowWatchBookmarks=true`, undefined, '', signal);
      if ((res.statusCode ?? 0) >= 300) {
        let text = '';
        for await (const chunk of res) text += String(chunk);
        throw new KubeApiError('WATCH', path, res.statusCode ?? 0, text);
      }
      res.setEncoding('utf8');
      let buf = '';
      try {
        for await (const chunk of res) {
          buf += chunk as string;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl).trim();
            buf = buf.slice(nl + 1);
            if (!line) continue;
            const ev = JSON.parse(line) as WatchEvent<T>;
            if (ev.type === 'ERROR') throw new KubeApiError('WATCH', path, 0, line);
            if (onEvent(ev) === true) {
              res.destroy();
              return;
            }
          }
        }
      } catch (err) {
        if (signal?.aborted) return;
        throw err;
      }
    },
    close: () => agent.destroy(),
  };
}
