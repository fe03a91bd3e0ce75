/** Shared builders for the freshness unit tests: pods, digests and a fake registry. */
import { createHash } from 'node:crypto';
import { MediaType, RegistryError, type ImageIndex, type Manifest, type ManifestHead, type Reference } from '@stateless-ci/core';
import type { RegistryReader } from '../../../packages/verify/src/freshness/resolve-refs.ts';
import type { PodLike } from '../../../packages/verify/src/freshness/pod-images.ts';

export const dg = (s: string): string => `sha256:${createHash('sha256').update(s).digest('hex')}`;

export function pod(name: string, image: string, o: { ns?: string; owner?: { kind: string; name: string }; imageID?: string; waiting?: boolean; init?: string; secrets?: string[] } = {}): PodLike {
  return {
    metadata: { name, namespace: o.ns ?? 'apps', ownerReferences: o.owner ? [{ ...o.owner, controller: true }] : undefined },
    spec: { containers: [{ name: 'main', image }], initContainers: o.init ? [{ name: 'setup', image: o.init }] : undefined, imagePullSecrets: o.secrets?.map((s) => ({ name: s })) },
    status: { phase: 'Running', containerStatuses: [{ name: 'main', image, imageID: o.imageID, state: o.waiting ? { waiting: {} } : { running: {} } }] },
  };
}

type Entry = { mediaType: string; body: unknown };

/** An in-memory registry keyed by `repo:tag` and `repo@digest`, counting calls. */
export class FakeRegistry implements RegistryReader {
  readonly store = new Map<string, Entry & { digest: string }>();
  readonly blobs = new Map<string, Buffer>();
  readonly calls: string[] = [];
  rateLimit: ManifestHead['rateLimit'] = {};
  failures: ((ref: Reference, method: string) => Error | undefined)[] = [];

  put(repo: string, tag: string | undefined, mediaType: string, body: unknown): string {
    const digest = dg(JSON.stringify(body));
    const e = { mediaType, body, digest };
    this.store.set(`${repo}@${digest}`, e);
    if (tag) this.store.set(`${repo}:${tag}`, e);
    return digest;
  }

  image(repo: string, arch: string, created: string, tag?: string): string {
    const config = Buffer.from(JSON.stringify({ architecture: arch, os: 'linux', created }));
    this.blobs.set(dg(config.toString()), config);
    return this.put(repo, tag, MediaType.ociManifest, { schemaVersion: 2, mediaType: MediaType.ociManifest, config: { mediaType: MediaType.ociConfig, digest: dg(config.toString()), size: config.length }, layers: [] });
  }

  index(repo: string, tag: string | undefined, children: Record<string, string>): string {
    const body: ImageIndex = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: Object.entries(children).map(([arch, digest]) => ({ mediaType: MediaType.ociManifest, digest, size: 1, platform: { os: 'linux', architecture: arch } })) };
    return this.put(repo, tag, MediaType.ociIndex, body);
  }

  #find(ref: Reference, method: string): Entry & { digest: string } {
    this.calls.push(`${method} ${ref.repository}${ref.digest ? `@${ref.digest.slice(7, 15)}` : `:${ref.tag}`}`);
    for (const f of this.failures) {
      const e = f(ref, method);
      if (e) throw e;
    }
    const e = this.store.get(`${ref.repository}${ref.digest ? `@${ref.digest}` : `:${ref.tag}`}`);
    if (!e) throw new RegistryError(ref.registry, 404, 'not found');
    return e;
  }

  async headManifest(ref: Reference): Promise<ManifestHead> {
    const e = this.#find(ref, 'HEAD');
    return { digest: e.digest, mediaType: e.mediaType, size: 1, rateLimit: this.rateLimit };
  }

  async getManifest<T>(ref: Reference): Promise<Manifest<T>> {
    const e = this.#find(ref, 'GET');
    const raw = Buffer.from(JSON.stringify(e.body));
    return { digest: e.digest, mediaType: e.mediaType, size: raw.length, rateLimit: {}, raw, body: e.body as T };
  }

  async getBlob(ref: Reference, digest: string): Promise<Buffer> {
    this.calls.push(`BLOB ${ref.repository}`);
    const b = this.blobs.get(digest);
    if (!b) throw new RegistryError(ref.registry, 404, 'blob not found');
    return b;
  }
}
