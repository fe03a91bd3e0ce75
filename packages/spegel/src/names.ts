/**
 * The names and labels of what the Spegel chart renders for a release. The chart derives its
 * "fullname" from the release name; values.ts sets `fullnameOverride` to the release name, so every
 * object name here is predictable from the cluster file alone.
 */
import type { SpegelConfig } from '@stateless-ci/core';

export interface SpegelNames {
  readonly namespace: string;
  readonly release: string;
  /** DaemonSet, ServiceAccount and metrics Service name. */
  readonly daemonSet: string;
  readonly registryService: string;
  readonly bootstrapService: string;
  readonly metricsService: string;
  /** Label selector of the Spegel pods (the chart's selector labels plus its component label). */
  readonly podSelector: string;
  /** Label selector of the short-lived node-config probe Jobs and their pods. */
  readonly probeSelector: string;
}

/** Label put on objects the tool itself creates (the namespace, probe Jobs), never on chart objects. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'stateless-ci';
export const PROBE_LABEL = 'stateless-ci.dev/spegel-node-probe';

export function spegelNames(c: Pick<SpegelConfig, 'namespace' | 'release'>): SpegelNames {
  const fullname = c.release;
  return {
    namespace: c.namespace,
    release: c.release,
    daemonSet: fullname,
    registryService: `${fullname}-registry`,
    bootstrapService: `${fullname}-bootstrap`,
    metricsService: fullname,
    podSelector: `app.kubernetes.io/name=spegel,app.kubernetes.io/instance=${c.release},app.kubernetes.io/component=spegel`,
    probeSelector: `${PROBE_LABEL}=${c.release}`,
  };
}

/** The image string every rendered Spegel container must carry (the chart's own image helper rule). */
export function expectedImage(c: Pick<SpegelConfig, 'image'>): string {
  return c.image.digest ? `${c.image.repository}@${c.image.digest}` : `${c.image.repository}:${c.image.tag}`;
}
