/**
 * Pure: the owner chain of a pod. Pods carry only their direct owner; a ReplicaSet's owner
 * (Deployment) and a Job's owner (CronJob) come from one list of ReplicaSets and one of Jobs, so the
 * chain costs two list calls whatever the number of pods.
 */
import type { Workload } from './types.ts';

export interface OwnerRef {
  readonly kind: string;
  readonly name: string;
  readonly controller?: boolean;
}

/** `<namespace>/<kind>/<name>` of a ReplicaSet or Job → its controller owner. */
export type OwnerIndex = ReadonlyMap<string, OwnerRef>;

interface Owned {
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly ownerReferences?: readonly OwnerRef[] };
}

export function ownerIndex(kind: 'ReplicaSet' | 'Job', objects: readonly Owned[], into = new Map<string, OwnerRef>()): Map<string, OwnerRef> {
  for (const o of objects) {
    const owner = controllerOf(o.metadata.ownerReferences);
    if (owner) into.set(`${o.metadata.namespace ?? 'default'}/${kind}/${o.metadata.name}`, owner);
  }
  return into;
}

const controllerOf = (refs: readonly OwnerRef[] | undefined): OwnerRef | undefined => refs?.find((r) => r.controller) ?? refs?.[0];

/** Which second-level kinds the pods need, so the caller lists only those. */
export function ownerKindsNeeded(pods: readonly Owned[]): Set<'ReplicaSet' | 'Job'> {
  const out = new Set<'ReplicaSet' | 'Job'>();
  for (const p of pods) {
    const k = controllerOf(p.metadata.ownerReferences)?.kind;
    if (k === 'ReplicaSet' || k === 'Job') out.add(k);
  }
  return out;
}

export function podWorkload(pod: string, namespace: string, refs: readonly OwnerRef[] | undefined, owners: OwnerIndex): Workload {
  const direct = controllerOf(refs);
  if (!direct) return { kind: 'Pod', namespace, name: pod };
  if (direct.kind === 'ReplicaSet' || direct.kind === 'Job') {
    const up = owners.get(`${namespace}/${direct.kind}/${direct.name}`);
    if (up) return { kind: up.kind, namespace, name: up.name };
  }
  return { kind: direct.kind, namespace, name: direct.name };
}

export const workloadKey = (w: Workload): string => `${w.namespace}/${w.kind}/${w.name}`;
