/**
 * Test helpers for the harness registry: pushing single-arch images and multi-arch indexes through
 * the OCI distribution API with core's RegistryClient, and a small proxy in front of it that can
 * demand a bearer token or answer 429 first (on another loopback port inside the netns).
 */
import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { MediaType, RegistryClient, type Reference } from '@stateless-ci/core';

export const REGISTRY = '127.0.0.1:5000';
const client = new RegistryClient();

export async function pushImage(repo: string, arch: string, created: string): Promise<string> {
  const ref: Reference = { registry: REGISTRY, repository: repo };
  const config = Buffer.from(JSON.stringify({ architecture: arch, os: 'linux', created, rootfs: { type: 'layers', diff_ids: [] } }));
  const layer = randomBytes(64);
  const [configDigest, layerDigest] = [await client.pushBlob(ref, config), await client.pushBlob(ref, layer)];
  const manifest = {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: { mediaType: MediaType.ociConfig, digest: configDigest, size: config.length },
    layers: [{ mediaType: MediaType.ociLayer, digest: layerDigest, size: layer.length }],
  };
  return client.pushManifest({ ...ref, tag: undefined }, manifest, MediaType.ociManifest);
}

/** Pushes an index under `tag` with the given per-arch manifests; returns its digest. */
export async function pushIndex(repo: string, tag: string, children: Readonly<Record<string, string>>): Promise<string> {
  const manifests = await Promise.all(
    Object.entries(children).map(async ([arch, digest]) => {
      const m = await client.getManifest({ registry: REGISTRY, repository: repo, digest });
      return { mediaType: MediaType.ociManifest, digest, size: m.size, platform: { os: 'linux', architecture: arch } };
    }),
  );
  return client.pushManifest({ registry: REGISTRY, repository: repo, tag }, { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests }, MediaType.ociIndex);
}

export async function pushMultiArch(repo: string, tag: string, created: string): Promise<{ index: string; amd64: string; arm64: string }> {
  const amd64 = await pushImage(repo, 'amd64', created);
  const arm64 = await pushImage(repo, 'arm64', created);
  return { index: await pushIndex(repo, tag, { amd64, arm64 }), amd64, arm64 };
}

export interface RegistryProxy {
  readonly host: string;
  /** Requests the proxy answered with 429 so far. */
  readonly throttled: number;
  close(): Promise<void>;
}

/**
 * A proxy to the harness registry. `token`: demand `Bearer` issued by /token for user:password.
 * `throttle`: answer the first N manifest requests with 429 and Retry-After: 1.
 */
export async function startProxy(o: { token?: { user: string; password: string }; throttle?: number }): Promise<RegistryProxy> {
  let throttleLeft = o.throttle ?? 0;
  let throttled = 0;
  const TOKEN = randomBytes(16).toString('hex');
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://proxy');
      const self = `127.0.0.1:${(server.address() as { port: number }).port}`;
      if (o.token && url.pathname === '/token') {
        const expected = `Basic ${Buffer.from(`${o.token.user}:${o.token.password}`).toString('base64')}`;
        if (req.headers.authorization !== expected) return void res.writeHead(401).end('{"errors":[{"code":"UNAUTHORIZED"}]}');
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: TOKEN }));
      }
      if (o.token && req.headers.authorization !== `Bearer ${TOKEN}`) {
        return void res.writeHead(401, { 'www-authenticate': `Bearer realm="http://${self}/token",service="test-registry"` }).end();
      }
      if (throttleLeft > 0 && url.pathname.includes('/manifests/')) {
        throttleLeft--;
        throttled++;
        return void res.writeHead(429, { 'retry-after': '1' }).end();
      }
      const up = await fetch(`http://${REGISTRY}${url.pathname}${url.search}`, { method: req.method, headers: { accept: req.headers.accept ?? '*/*' } });
      const headers: Record<string, string> = { 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '99;w=21600' };
      for (const h of ['content-type', 'content-length', 'docker-content-digest']) {
        const v = up.headers.get(h);
        if (v) headers[h] = v;
      }
      res.writeHead(up.status, headers);
      res.end(req.method === 'HEAD' ? undefined : Buffer.from(await up.arrayBuffer()));
    })().catch((e: unknown) => res.writeHead(502).end(String(e)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const host = `127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    host,
    get throttled() {
      return throttled;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
