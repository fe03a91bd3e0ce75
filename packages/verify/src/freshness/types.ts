/**
 * The freshness check's data model: what pods run (ImageUse), what the registry says now
 * (RefResolution), and the verdict per container (Finding) gathered into a Report.
 */
import type { Arch } from '@stateless-ci/core';

/** The object that owns a pod, after following ReplicaSet→Deployment and Job→CronJob. */
export interface Workload {
  readonly kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet' | 'Job' | 'CronJob' | 'Pod' | string;
  readonly namespace: string;
  readonly name: string;
}

/** Kinds that `--restart` may roll out. */
export const RESTARTABLE_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'] as const;
export type RestartableKind = (typeof RESTARTABLE_KINDS)[number];
export const isRestartable = (kind: string): kind is RestartableKind => (RESTARTABLE_KINDS as readonly string[]).includes(kind);

/** One container (or init container) of one pod and the image it runs. */
export interface ImageUse {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  readonly init: boolean;
  /** The image string as written in the pod spec. */
  readonly image: string;
  /** registry/repository:tag, the unit resolved once; undefined when the image carries no tag. */
  readonly refKey?: string;
  /** The digest the pod runs: from `name:tag@sha256:…`, else from status imageID; undefined if unknown. */
  readonly runningDigest?: string;
  /** False when the container is waiting (e.g. ImagePullBackOff) or has not started. */
  readonly running: boolean;
  readonly workload: Workload;
  /** Names of the pod's imagePullSecrets (in `namespace`). */
  readonly pullSecrets: readonly string[];
}

export interface RateLimitReading {
  readonly registry: string;
  readonly limit?: number;
  readonly remaining?: number;
  /** Window in seconds when the registry says (`;w=21600` on Docker Hub). */
  readonly windowSeconds?: number;
}

/** What the registry says about one tag now, and how each running digest compares per platform. */
export type RefResolution =
  | {
      readonly kind: 'resolved';
      readonly refKey: string;
      /** The digest the tag points at (an index or a manifest). */
      readonly tagDigest: string;
      readonly isIndex: boolean;
      /** The manifest for the cluster's platform (equals tagDigest for a single manifest); undefined if missing. */
      readonly platformDigest?: string;
      /** Set when an index was read and lacks linux/<arch>. */
      readonly missingArch: boolean;
      /** Verdict per running digest seen for this ref. */
      readonly running: Readonly<Record<string, 'current' | 'stale' | 'missing-arch'>>;
      /** When the current image was created (ISO), if read; see README "Age". */
      readonly createdAt?: string;
      /** Where createdAt came from. */
      readonly createdFrom?: 'annotation' | 'config';
    }
  | { readonly kind: 'unresolvable'; readonly refKey: string; readonly reason: string };

export type FindingStatus = 'current' | 'stale' | 'missing-arch' | 'unresolvable' | 'unknown-running' | 'pinned-digest';

export interface Finding {
  readonly use: ImageUse;
  readonly status: FindingStatus;
  /** Current digest of the tag (index or manifest), when resolved. */
  readonly currentDigest?: string;
  /** Seconds since the current image was created, when known (stale only). */
  readonly ageSeconds?: number;
  /** True when stale and older than --max-age (or of unknown age). */
  readonly overMaxAge: boolean;
  readonly reason?: string;
}

export interface RequestCounts {
  head: number;
  get: number;
  token: number;
  retries: number;
}

export interface Report {
  readonly cluster: string;
  readonly arch: Arch;
  readonly checkedAt: string;
  readonly maxAgeSeconds: number;
  readonly pods: number;
  readonly containers: number;
  readonly uniqueRefs: number;
  readonly findings: readonly Finding[];
  readonly rateLimits: readonly RateLimitReading[];
  readonly requests: RequestCounts;
  readonly durationMs: number;
  /** Where the time went: API server reads (pods, owners, pull secrets) and registry resolution; they overlap. */
  readonly timings: { readonly kubeMs: number; readonly registryMs: number };
}

/** Findings that make the check fail (exit 1). */
export function failing(r: Report): Finding[] {
  return r.findings.filter((f) => (f.status === 'stale' && f.overMaxAge) || f.status === 'missing-arch' || f.status === 'unresolvable');
}
