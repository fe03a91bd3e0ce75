/**
 * Where charts and manifests are fetched from. Cluster files name upstream locations; the sandbox
 * (and air-gapped users) point them at a mirror through environment variables:
 *   STATELESS_CI_CHART_MIRROR=oci://127.0.0.1:5000/charts   oci://ghcr.io/org/charts/spegel → oci://127.0.0.1:5000/charts/spegel
 *   STATELESS_CI_MANIFEST_MIRROR=oci://127.0.0.1:5000/manifests   → oci://127.0.0.1:5000/manifests/<name>:<version>
 *   STATELESS_CI_PLAIN_HTTP=1   talk plain HTTP to the mirror (loopback registries)
 */
import type { SourceRef } from './cluster-config.ts';

export interface ResolvedSource {
  /** What to hand to helm or the OCI client. */
  readonly ref: string;
  readonly version: string;
  readonly plainHttp: boolean;
  /** True when a mirror replaced the cluster file's source. */
  readonly mirrored: boolean;
}

export type SourceEnv = Readonly<Record<string, string | undefined>>;

const baseName = (source: string): string => source.replace(/\/+$/, '').split('/').pop()!.replace(/\.(ya?ml|tgz)$/, '');

export function resolveChart(ref: SourceRef, env: SourceEnv): ResolvedSource {
  const mirror = env.STATELESS_CI_CHART_MIRROR?.replace(/\/+$/, '');
  const plainHttp = env.STATELESS_CI_PLAIN_HTTP === '1';
  if (mirror && ref.source.startsWith('oci://')) {
    return { ref: `${mirror}/${baseName(ref.source)}`, version: ref.version, plainHttp, mirrored: true };
  }
  return { ref: ref.source, version: ref.version, plainHttp: plainHttp && ref.source.startsWith('oci://127.'), mirrored: false };
}

/** `name` is the artifact name in the mirror, e.g. k8s-digester. */
export function resolveManifests(ref: SourceRef, name: string, env: SourceEnv): ResolvedSource {
  const mirror = env.STATELESS_CI_MANIFEST_MIRROR?.replace(/\/+$/, '');
  const plainHttp = env.STATELESS_CI_PLAIN_HTTP === '1';
  if (mirror) return { ref: `${mirror}/${name}:${ref.version}`, version: ref.version, plainHttp, mirrored: true };
  return { ref: ref.source, version: ref.version, plainHttp: false, mirrored: false };
}
