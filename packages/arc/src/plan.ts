/**
 * What a deploy will do, decided from the live state and the rendered target. Pure.
 *
 * Three paths:
 *  - install / in-place: CRDs written whole (created or replaced), `helm upgrade --install` for what changed;
 *  - documented upgrade: when the controller chart version changes, or the CRDs this tool stamped
 *    changed. Helm never upgrades CRDs and the controller deletes scale sets of another minor
 *    (ARC #4422, #4167), so the path is: scale set out, controller out, CRDs replaced
 *    (deleted, then created), reinstall with the same scale-set name and values. Always listed first in the plan.
 */
import type { ComponentPlan, KubeObject, PlannedChange } from '@stateless-ci/core';
import { changedCrds } from './crds.ts';
import type { SecretState } from './credentials-secret.ts';
import type { ArcLive, ReleaseState } from './live-state.ts';
import type { ArcNames } from './names.ts';
import { sameValues, valuesDiff } from './values-diff.ts';

export type ArcPath = 'unchanged' | 'install' | 'in-place' | 'documented-upgrade';
export type ReleaseAction = 'install' | 'upgrade' | 'reinstall' | 'unchanged';

export interface ArcDesired {
  readonly controllerVersion: string;
  readonly scaleSetVersion: string;
  readonly controllerValues: unknown;
  readonly scaleSetValues: unknown;
  readonly crds: readonly KubeObject[];
}

export interface ArcDecision {
  readonly path: ArcPath;
  /** CRDs to apply in place (install / in-place) or to replace (documented upgrade). */
  readonly crds: readonly string[];
  readonly controller: ReleaseAction;
  readonly secret: SecretState;
  readonly scaleSet: ReleaseAction;
  /** Why the documented upgrade path is needed. */
  readonly reasons: readonly string[];
  /** Why the deploy must not proceed (apply refuses). */
  readonly blockers: readonly string[];
}

const releaseAction = (live: ReleaseState | undefined, version: string, values: unknown): ReleaseAction =>
  !live ? 'install' : live.status !== 'deployed' || live.version !== version || !sameValues(live.values, values) ? 'upgrade' : 'unchanged';

export function decide(live: ArcLive, want: ArcDesired, secret: SecretState): ArcDecision {
  const changed = changedCrds(want.crds, live.crds);
  const reasons: string[] = [];
  if (live.controller && live.controller.version !== want.controllerVersion) {
    reasons.push(`controller chart ${live.controller.version ?? 'unknown'} → ${want.controllerVersion}`);
  }
  // Only CRDs this tool stamped can be known to differ; unstamped ones (first adoption) are applied in place.
  const stampedChanged = changed.filter((name) => {
    const l = live.crds.find((c) => c.name === name);
    return l?.present && l.specHash !== undefined;
  });
  if (live.controller && stampedChanged.length > 0) reasons.push(`CRDs changed: ${stampedChanged.join(', ')}`);
  if (reasons.length > 0) {
    const blockers =
      live.otherScaleSets.length > 0
        ? [`replacing the CRDs would delete AutoscalingRunnerSets this cluster file does not manage: ${live.otherScaleSets.join(', ')}; uninstall or upgrade them first`]
        : [];
    return { path: 'documented-upgrade', crds: want.crds.map((c) => c.metadata.name), controller: 'reinstall', secret, scaleSet: 'reinstall', reasons, blockers };
  }
  const controller = releaseAction(live.controller, want.controllerVersion, want.controllerValues);
  const scaleSet = releaseAction(live.scaleSet, want.scaleSetVersion, want.scaleSetValues);
  const nothing = changed.length === 0 && controller === 'unchanged' && scaleSet === 'unchanged' && secret === 'same';
  const path: ArcPath = nothing ? 'unchanged' : !live.controller && !live.scaleSet ? 'install' : 'in-place';
  return { path, crds: changed, controller, secret, scaleSet, reasons, blockers: [] };
}

const kindOf = (a: ReleaseAction): PlannedChange['kind'] => (a === 'install' ? 'create' : a === 'unchanged' ? 'unchanged' : 'update');

export function toPlan(d: ArcDecision, live: ArcLive, want: ArcDesired, n: ArcNames): ComponentPlan {
  const ctrl = `helm release ${n.controllerNamespace}/${n.controllerRelease}`;
  const set = `helm release ${n.runnersNamespace}/${n.scaleSet}`;
  const changes: PlannedChange[] = [];
  const notes: string[] = [];
  for (const b of d.blockers) notes.push(`REFUSED: ${b}`);
  const scaleSetDiff = [
    ...(live.scaleSet?.version !== want.scaleSetVersion ? [`- chart: ${live.scaleSet?.version ?? '(none)'}`, `+ chart: ${want.scaleSetVersion}`] : []),
    ...valuesDiff(live.scaleSet?.values, want.scaleSetValues),
  ];
  if (d.path === 'documented-upgrade') {
    notes.push(
      `ARC upgrade (${d.reasons.join('; ')}): following the documented path. ` +
        `1) uninstall scale set ${n.scaleSet} and wait for its runners and listener to be cleaned up, 2) uninstall controller ${n.controllerRelease}, ` +
        `3) replace the ${d.crds.length} actions.github.com CRDs (delete, then create), 4) reinstall the controller and scale set ${n.scaleSet} with the same name and values. ` +
        'Jobs queue on GitHub while no listener runs.',
    );
    const diff = valuesDiff(live.scaleSet?.values, want.scaleSetValues);
    notes.push(
      !live.scaleSet
        ? `scale set ${n.scaleSet} is installed fresh`
        : diff.length === 0
          ? `scale-set values preserved: ${n.scaleSet} comes back with the same values`
          : `scale-set values preserved except: ${diff.join(' ')}`,
    );
    if (live.scaleSet) changes.push({ kind: 'delete', object: set, diff: [`- chart: ${live.scaleSet.version ?? 'unknown'}`] });
    changes.push({ kind: 'delete', object: ctrl, diff: [`- chart: ${live.controller?.version ?? 'unknown'}`] });
    for (const c of d.crds) changes.push({ kind: 'update', object: `CustomResourceDefinition/${c}`, diff: ['replaced: delete, then create'] });
    changes.push({ kind: 'create', object: ctrl, diff: [`+ chart: ${want.controllerVersion}`] });
  } else {
    for (const c of want.crds) {
      const name = c.metadata.name;
      const present = live.crds.find((x) => x.name === name)?.present;
      changes.push({ kind: d.crds.includes(name) ? (present ? 'update' : 'create') : 'unchanged', object: `CustomResourceDefinition/${name}` });
    }
    const ctrlDiff = [
      ...(live.controller?.version !== want.controllerVersion ? [`- chart: ${live.controller?.version ?? '(none)'}`, `+ chart: ${want.controllerVersion}`] : []),
      ...valuesDiff(live.controller?.values, want.controllerValues),
    ];
    changes.push({ kind: kindOf(d.controller), object: ctrl, ...(d.controller === 'unchanged' ? {} : { diff: ctrlDiff }) });
  }
  const secretKind: PlannedChange['kind'] = d.secret === 'absent' ? 'create' : d.secret === 'same' ? 'unchanged' : 'update';
  changes.push({ kind: secretKind, object: `Secret/${n.runnersNamespace}/${n.credentialsSecret}`, ...(secretKind === 'unchanged' ? {} : { diff: ['GitHub credentials (values not shown)'] }) });
  const setKind: PlannedChange['kind'] = d.scaleSet === 'reinstall' ? 'create' : kindOf(d.scaleSet);
  changes.push({ kind: setKind, object: set, ...(setKind === 'unchanged' ? {} : { diff: scaleSetDiff }) });
  return { component: 'arc', changes, notes };
}
