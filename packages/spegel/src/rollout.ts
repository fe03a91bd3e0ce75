/** Pure: is a DaemonSet fully rolled out, and if not, why not (one line). */
import type { KubeObject } from '@stateless-ci/core';

export interface DaemonSetStatus {
  observedGeneration?: number;
  desiredNumberScheduled?: number;
  currentNumberScheduled?: number;
  updatedNumberScheduled?: number;
  numberReady?: number;
  numberAvailable?: number;
  numberUnavailable?: number;
  numberMisscheduled?: number;
}

export type DaemonSetObject = KubeObject & { status?: DaemonSetStatus; spec?: { template?: { spec?: Record<string, unknown> } } };

export interface RolloutState {
  readonly done: boolean;
  readonly detail: string;
  readonly desired: number;
  readonly updated: number;
  readonly ready: number;
}

export function rolloutState(ds: DaemonSetObject | undefined): RolloutState {
  if (!ds) return { done: false, detail: 'DaemonSet not found', desired: 0, updated: 0, ready: 0 };
  const s = ds.status ?? {};
  const desired = s.desiredNumberScheduled ?? 0;
  const updated = s.updatedNumberScheduled ?? 0;
  const ready = s.numberReady ?? 0;
  const available = s.numberAvailable ?? 0;
  const base = { desired, updated, ready };
  if ((s.observedGeneration ?? 0) < (ds.metadata.generation ?? 1)) {
    return { ...base, done: false, detail: `controller has not seen generation ${ds.metadata.generation ?? 1} yet (observed ${s.observedGeneration ?? 'none'})` };
  }
  if (updated < desired) return { ...base, done: false, detail: `${updated} of ${desired} nodes run the new pod template` };
  if (available < desired || ready < desired) return { ...base, done: false, detail: `${Math.min(ready, available)} of ${desired} pods Ready` };
  return { ...base, done: true, detail: `${desired} of ${desired} pods updated and Ready` };
}
