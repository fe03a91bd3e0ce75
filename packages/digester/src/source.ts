/**
 * Where the upstream manifests come from: the OCI artifact in a mirror (STATELESS_CI_MANIFEST_MIRROR,
 * what the harness and air-gapped users use), an https URL (the release asset), or a local path.
 * IO is injected so tests never touch the network.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  ConfigError,
  MediaType,
  RegistryClient,
  RegistryError,
  isIndex,
  keepAliveFetch,
  parseReference,
  resolveManifests,
  type Fetch,
  type FetchResponse,
  type ImageManifest,
  type SourceEnv,
  type SourceRef,
} from '@stateless-ci/core';
import { MIRROR_ARTIFACT } from './names.ts';

export interface ManifestIO {
  readonly fetch: Fetch;
  readonly readFile: (path: string) => Promise<string>;
}

// The registry clients' transport: keep-alive connections shared with the chart pulls, and no undici to load.
export const defaultManifestIO: ManifestIO = { fetch: keepAliveFetch, readFile: (p) => readFile(p, 'utf8') };

export interface FetchedManifests {
  /** Multi-document YAML as upstream ships it. */
  readonly text: string;
  /** Where it came from, for messages, e.g. oci://127.0.0.1:5000/manifests/k8s-digester:v0.1.16@sha256:… */
  readonly origin: string;
}

/** Layer media types accepted for the manifests artifact (core's type, as the harness pushes it). */
export const MANIFEST_LAYER_TYPES: readonly string[] = [MediaType.manifestsYaml];

const sourceIssue = (file: string, message: string, fix: string) => new ConfigError([{ file, path: 'digester.manifests.source', message, fix }]);

async function fromOci(ref: string, plainHttp: boolean, io: ManifestIO): Promise<FetchedManifests> {
  const r = parseReference(ref);
  const client = new RegistryClient({ fetch: io.fetch, plainHttp: (host) => plainHttp || /^(127\.|localhost(:|$))/.test(host) });
  const m = await client.getManifest<ImageManifest>(r);
  if (isIndex(m.mediaType)) throw new RegistryError(r.registry, 0, `${ref} is an image index, not a manifests artifact`);
  const layers = m.body.layers ?? [];
  const layer = layers.find((l) => MANIFEST_LAYER_TYPES.includes(l.mediaType)) ?? (layers.length === 1 && /\+?yaml$/.test(layers[0]!.mediaType) ? layers[0] : undefined);
  if (!layer) {
    throw new RegistryError(r.registry, 0, `${ref} holds no layer of type ${MediaType.manifestsYaml} (found: ${layers.map((l) => l.mediaType).join(', ') || 'none'})`);
  }
  const blob = await client.getBlob(r, layer.digest);
  return { text: blob.toString('utf8'), origin: `oci://${r.registry}/${r.repository}@${m.digest}` };
}

async function fromHttps(url: string, file: string, io: ManifestIO): Promise<FetchedManifests> {
  const host = new URL(url).host;
  let res: FetchResponse;
  try {
    res = await io.fetch(url, { redirect: 'follow' });
  } catch (e) {
    throw new RegistryError(host, 0, `cannot be reached for ${url}: ${(e as Error).message}`, { cause: e });
  }
  if (res.status === 404) throw sourceIssue(file, `${url} does not exist (404)`, 'check the URL and the pinned version');
  if (!res.ok) throw new RegistryError(host, res.status, `failed to download ${url}`);
  return { text: await res.text(), origin: url };
}

async function fromPath(p: string, file: string, io: ManifestIO): Promise<FetchedManifests> {
  const local = p.startsWith('file://') ? fileURLToPath(p) : p;
  try {
    return { text: await io.readFile(local), origin: local };
  } catch (e) {
    throw sourceIssue(file, `${local} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'point it at the k8s-digester release manifest YAML');
  }
}

/** Fetches the manifests named by the cluster file, or by the mirror when one is configured. */
export async function fetchManifests(ref: SourceRef, env: SourceEnv, clusterFile: string, io: ManifestIO = defaultManifestIO): Promise<FetchedManifests> {
  const resolved = resolveManifests(ref, MIRROR_ARTIFACT, env);
  if (resolved.ref.startsWith('oci://')) return fromOci(resolved.ref, resolved.plainHttp, io);
  if (resolved.ref.startsWith('https://')) return fromHttps(resolved.ref, clusterFile, io);
  return fromPath(resolved.ref, clusterFile, io);
}
