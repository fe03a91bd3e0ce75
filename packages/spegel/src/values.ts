/**
 * Pure: the cluster file's `spegel:` section in, Spegel chart values out. Only keys that differ
 * from the chart defaults or that must never drift are set; everything else stays upstream's.
 */
import type { SpegelConfig } from '@stateless-ci/core';

export type ChartValues = Record<string, unknown>;

/**
 * How many nodes may run without a Ready Spegel pod during a rolling update. Spegel binds a
 * hostPort, so no surge is possible; a node without Spegel falls back to the upstream registry
 * after containerd's 200 ms dial timeout, so a 10% window trades little for a rollout that does
 * not take one pod restart per node in series on large clusters.
 */
export const MAX_UNAVAILABLE = '10%';

export function spegelValues(c: SpegelConfig): ChartValues {
  return {
    // Names follow the release exactly, whatever it is called (see names.ts).
    fullnameOverride: c.release,
    // Never the chart's placeholder appVersion: the tag (or digest) comes from the cluster file.
    image: { repository: c.image.repository, tag: c.image.tag, ...(c.image.digest ? { digest: c.image.digest } : {}) },
    spegel: {
      containerdSock: c.containerdSock,
      containerdRegistryConfigPath: c.containerdRegistryConfigPath,
      containerdContentPath: c.containerdContentPath,
      containerdMirrorAdd: c.mirrorRegistries,
      mirroredRegistries: [...c.mirroredRegistries],
      // See README "resolveTags": tags resolve upstream, digests come from peers.
      resolveTags: c.resolveTags,
      logLevel: c.logLevel,
    },
    // One `Exists` toleration with no key and no effect tolerates every taint: one pod per node.
    // Without allNodes, no tolerations at all: tainted nodes are skipped, on purpose.
    tolerations: c.allNodes ? [{ operator: 'Exists' }] : [],
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: MAX_UNAVAILABLE } },
  };
}

/** Recursive merge for value overrides (objects merge, everything else replaces). */
export function mergeValues(base: ChartValues, over: ChartValues | undefined): ChartValues {
  if (!over) return base;
  const out: ChartValues = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isPlainObject(b) && isPlainObject(v) ? mergeValues(b, v) : v;
  }
  return out;
}

const isPlainObject = (v: unknown): v is ChartValues => typeof v === 'object' && v !== null && !Array.isArray(v);
