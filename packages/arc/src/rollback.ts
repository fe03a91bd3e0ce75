/**
 * Snapshot and rollback. The snapshot records both releases (revision, chart version, values) and
 * whether the credentials Secret existed; never the Secret's content, so a snapshot holds no secret.
 *  - nothing was installed before: uninstall (scale set first);
 *  - same chart versions as before: `helm rollback` each release to its recorded revision;
 *  - the documented upgrade path ran (releases were reinstalled): the same path back, to the
 *    previous chart versions with the previous values (CRDs of the previous chart, written whole).
 * The Secret keeps the current credentials (they come from the environment, not from a revision);
 * it is deleted only when it did not exist before. CRDs that were absent before (created by this
 * run, staged or applied) are deleted again, after the releases that used them.
 */
import { resolveChart, type ClusterContext, type Snapshot } from '@stateless-ci/core';
import { applyArc } from './apply.ts';
import { deleteCrds, readCrdMeta } from './crds.ts';
import { readLive, type ArcLive, type ReleaseState } from './live-state.ts';
import { arcNames } from './names.ts';
import type { ArcTarget } from './render.ts';
import { uninstallArc, uninstallScaleSet } from './uninstall.ts';
import { CLEANUP_TIMEOUT_MS } from './upgrade.ts';

export interface ArcSnapshot extends Snapshot {
  readonly arc?: {
    readonly controller?: { readonly version?: string; readonly values: unknown };
    readonly scaleSet?: { readonly version?: string; readonly values: unknown };
    readonly secretExisted: boolean;
    /** actions.github.com CRDs absent when the snapshot was taken. */
    readonly crdsAbsent?: readonly string[];
    /** Everything read for this snapshot (no secret in it), for `stage` to decide from. */
    readonly live?: ArcLive;
  };
}

const prev = (r: ReleaseState | undefined) => r && { version: r.version, values: r.values };

export async function snapshotArc(ctx: ClusterContext): Promise<ArcSnapshot> {
  const n = arcNames(ctx.cluster);
  const [live, secret] = await Promise.all([readLive(ctx), ctx.kube.read({ apiVersion: 'v1', kind: 'Secret', name: n.credentialsSecret, namespace: n.runnersNamespace })]);
  return {
    component: 'arc',
    releases: [
      { release: n.controllerRelease, namespace: n.controllerNamespace, revision: live.controller?.revision },
      { release: n.scaleSet, namespace: n.runnersNamespace, revision: live.scaleSet?.revision },
    ],
    arc: { controller: prev(live.controller), scaleSet: prev(live.scaleSet), secretExisted: secret !== undefined, crdsAbsent: live.crds.filter((c) => !c.present).map((c) => c.name), live },
  };
}

/** Without a snapshot: one helm revision back, or uninstall when there is none. */
async function stepBack(ctx: ClusterContext): Promise<string> {
  const n = arcNames(ctx.cluster);
  const live = await readLive(ctx);
  const revs = [live.scaleSet?.revision ?? 0, live.controller?.revision ?? 0];
  if (revs.every((r) => r <= 1)) {
    await uninstallArc(ctx);
    return 'arc: no previous revision, uninstalled';
  }
  const out: string[] = [];
  for (const [release, ns, rev] of [[n.scaleSet, n.runnersNamespace, revs[0]!], [n.controllerRelease, n.controllerNamespace, revs[1]!]] as const) {
    if (rev > 1) {
      await ctx.helm.rollback(release, ns, rev - 1);
      out.push(`${release} → revision ${rev - 1}`);
    }
  }
  return `arc: rolled back ${out.join(', ')}`;
}

export async function rollbackArc(ctx: ClusterContext, snapshot?: ArcSnapshot): Promise<string> {
  if (!snapshot?.arc) return stepBack(ctx);
  const releases = await rollbackReleases(ctx, snapshot, snapshot.arc);
  const created = await removeCreatedCrds(ctx, snapshot.arc.crdsAbsent ?? []);
  return created.length > 0 ? `${releases}; removed the ${created.length} CRDs this run created` : releases;
}

/** Deletes the CRDs that were absent at the snapshot and exist now; returns their names. */
async function removeCreatedCrds(ctx: ClusterContext, absent: readonly string[]): Promise<string[]> {
  const present = (await readCrdMeta(ctx.kube)).filter((c) => c.present && absent.includes(c.name)).map((c) => c.name);
  if (present.length > 0) await deleteCrds(ctx.kube, present, CLEANUP_TIMEOUT_MS, ctx.signal);
  return present;
}

async function rollbackReleases(ctx: ClusterContext, snapshot: ArcSnapshot, before: NonNullable<ArcSnapshot['arc']>): Promise<string> {
  const n = arcNames(ctx.cluster);
  if (!before.controller && !before.scaleSet) {
    await uninstallArc(ctx);
    return 'arc: was not installed before, uninstalled';
  }
  const live = await readLive(ctx);
  const summary: string[] = [];
  if (before.controller && live.controller?.version !== before.controller.version) {
    const c = ctx.cluster.arc;
    const target: ArcTarget = {
      controllerChart: resolveChart({ source: c.controller.chart.source, version: before.controller.version ?? c.controller.chart.version }, ctx.env),
      scaleSetChart: resolveChart({ source: c.runnerSet.chart.source, version: before.scaleSet?.version ?? before.controller.version ?? c.runnerSet.chart.version }, ctx.env),
      controllerValues: before.controller.values,
      scaleSetValues: before.scaleSet?.values ?? {},
    };
    ctx.log.info(`arc rollback: returning to chart ${before.controller.version} through the documented upgrade path`);
    summary.push((await applyArc(ctx, target)).summary);
  } else {
    // Scale set before controller, as everywhere.
    for (const r of [...snapshot.releases].reverse()) {
      const current = r.release === n.controllerRelease ? live.controller : live.scaleSet;
      if (r.revision === undefined && current) {
        if (r.release === n.scaleSet) await uninstallScaleSet(ctx);
        else await uninstallArc(ctx);
        summary.push(`${r.release} uninstalled`);
      } else if (r.revision !== undefined && current && current.revision !== r.revision) {
        await ctx.helm.rollback(r.release, r.namespace, r.revision);
        summary.push(`${r.release} → revision ${r.revision}`);
      }
    }
  }
  if (!before.secretExisted) await ctx.kube.delete({ apiVersion: 'v1', kind: 'Secret', name: n.credentialsSecret, namespace: n.runnersNamespace });
  return `arc: rolled back${summary.length ? `: ${summary.join(', ')}` : ' (nothing had changed)'}`;
}
