/** Pushes a single-layer OCI artifact to the harness registry with core's registry client. */
import { MediaType, RegistryClient, sha256 } from '@stateless-ci/core';

export interface OciArtifact {
  readonly artifactType: string;
  readonly config: { readonly mediaType: string; readonly data: Uint8Array };
  readonly layer: { readonly mediaType: string; readonly data: Uint8Array; readonly title: string };
  readonly annotations?: Readonly<Record<string, string>>;
}

const descriptor = (mediaType: string, data: Uint8Array, annotations?: Record<string, string>) => ({
  mediaType,
  digest: sha256(Buffer.from(data)),
  size: data.byteLength,
  ...(annotations ? { annotations } : {}),
});

/** The image manifest for `a` (OCI 1.1 artifactType, config media type set for 1.0 registries). Pure. */
export function artifactManifest(a: OciArtifact): Record<string, unknown> {
  return {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    artifactType: a.artifactType,
    config: descriptor(a.config.mediaType, a.config.data),
    layers: [descriptor(a.layer.mediaType, a.layer.data, { 'org.opencontainers.image.title': a.layer.title })],
    ...(a.annotations ? { annotations: { ...a.annotations } } : {}),
  };
}

/** Pushes to `<registry>/<repo>:<tag>` (plain HTTP on loopback) and returns the manifest digest. */
export async function pushArtifact(registry: string, repo: string, tag: string, a: OciArtifact): Promise<string> {
  const client = new RegistryClient();
  const ref = { registry, repository: repo, tag };
  await client.pushBlob(ref, Buffer.from(a.config.data));
  await client.pushBlob(ref, Buffer.from(a.layer.data));
  return client.pushManifest(ref, artifactManifest(a), MediaType.ociManifest);
}
