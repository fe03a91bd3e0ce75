/** Pushes tiny single-layer OCI images to the harness registry with core's RegistryClient (no docker). */
import { gzipSync } from 'node:zlib';
import { MediaType, RegistryClient, parseReference, sha256 } from '@stateless-ci/core';

/** Pushes `content` as the only layer of `ref` (e.g. 127.0.0.1:5000/digester-e2e/app:latest); returns the manifest digest. */
export async function pushImage(ref: string, content: string): Promise<string> {
  const r = parseReference(ref);
  const client = new RegistryClient();
  const raw = Buffer.from(content);
  const layer = gzipSync(raw);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256(raw)] }, config: {} }));
  const [configDigest, layerDigest] = [await client.pushBlob(r, config), await client.pushBlob(r, layer)];
  return client.pushManifest(
    r,
    {
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: { mediaType: MediaType.ociConfig, digest: configDigest, size: config.length },
      layers: [{ mediaType: MediaType.ociLayer, digest: layerDigest, size: layer.length }],
    },
    MediaType.ociManifest,
  );
}
