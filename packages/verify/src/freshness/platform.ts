/** Pure: picking the cluster's platform out of an image index. */
import type { Arch, Descriptor } from '@stateless-ci/core';

/** The linux/<arch> manifest of an index (arm64 accepts variant v8 or none); undefined when absent. */
export function platformManifest(manifests: readonly Descriptor[], arch: Arch): Descriptor | undefined {
  return manifests.find((m) => m.platform?.os === 'linux' && m.platform.architecture === arch && (arch !== 'arm64' || m.platform.variant === undefined || m.platform.variant === 'v8'));
}

export const CREATED_ANNOTATION = 'org.opencontainers.image.created';

/** A usable created time: parses, and is after 2000 (reproducible builds often write the epoch). */
export function usableCreated(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const t = Date.parse(value);
  return Number.isFinite(t) && t > Date.UTC(2000, 0, 1) ? new Date(t).toISOString() : undefined;
}
