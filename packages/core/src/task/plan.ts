/** What a deploy would change, per component, computed before anything is written. */
import type { ComponentName } from '../config/cluster-config.ts';

export type ChangeKind = 'create' | 'update' | 'delete' | 'unchanged';

export interface PlannedChange {
  readonly kind: ChangeKind;
  /** e.g. `DaemonSet/spegel/spegel` or `helm release spegel/spegel`. */
  readonly object: string;
  /** Short human diff lines (`- old` / `+ new`), secrets redacted. */
  readonly diff?: readonly string[];
}

export interface ComponentPlan {
  readonly component: ComponentName;
  readonly changes: readonly PlannedChange[];
  /** Things the operator must know, e.g. an ARC upgrade that removes scale sets first. */
  readonly notes: readonly string[];
}

export const hasChanges = (p: ComponentPlan): boolean => p.changes.some((c) => c.kind !== 'unchanged');
