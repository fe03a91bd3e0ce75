/**
 * Rollback and uninstall. Rollback returns to the snapshot's helm revision (or, without a
 * snapshot, the revision before the current one); when there was no release before, it
 * uninstalls. Uninstall goes through helm so the chart's post-delete hook runs `spegel cleanup`
 * on every node (restoring the hosts.toml backed up under `_backup`), then removes the namespace
 * when the tool created it.
 */
import { UnhealthyError, type ClusterContext, type HelmHistoryEntry, type Snapshot } from '@stateless-ci/core';
import { namespaceKey, ownsNamespace } from './apply.ts';

export type RollbackTarget = { readonly kind: 'revision'; readonly revision: number } | { readonly kind: 'uninstall' } | { readonly kind: 'none'; readonly reason: string };

/** Pure: where to roll back to, from the snapshot or the release history. */
export function rollbackTarget(snapshot: Snapshot | undefined, history: readonly HelmHistoryEntry[], release: string): RollbackTarget {
  const current = history.at(-1);
  if (snapshot) {
    const before = snapshot.releases.find((r) => r.release === release);
    if (before?.revision === undefined) return current ? { kind: 'uninstall' } : { kind: 'none', reason: 'no release before and none now' };
    if (current && current.revision === before.revision && current.status === 'deployed') return { kind: 'none', reason: `already at revision ${before.revision}` };
    return { kind: 'revision', revision: before.revision };
  }
  if (!current) return { kind: 'none', reason: 'release not installed' };
  const previous = [...history].reverse().find((h) => h.revision < current.revision && (h.status === 'superseded' || h.status === 'deployed'));
  return previous ? { kind: 'revision', revision: previous.revision } : { kind: 'uninstall' };
}

export async function rollbackSpegel(ctx: ClusterContext, snapshot?: Snapshot): Promise<string> {
  const c = ctx.cluster.spegel;
  const target = rollbackTarget(snapshot, await ctx.helm.history(c.release, c.namespace), c.release);
  switch (target.kind) {
    case 'none':
      return `spegel: nothing to roll back (${target.reason})`;
    case 'revision':
      await ctx.helm.rollback(c.release, c.namespace, target.revision);
      return `spegel: rolled release ${c.release} back to revision ${target.revision}; run \`wait\` to see it Ready`;
    case 'uninstall': {
      const nsExisted = snapshot?.objects?.find((o) => o.key === namespaceKey(c.namespace))?.before !== undefined;
      await uninstallSpegel(ctx, { keepNamespace: nsExisted && snapshot !== undefined });
      return `spegel: there was no release before, so release ${c.release} was uninstalled`;
    }
  }
}

export interface UninstallOptions {
  /** Keep the namespace even when the tool created it. @default false */
  readonly keepNamespace?: boolean;
  /** @default 300000 */
  readonly namespaceTimeoutMs?: number;
}

export async function uninstallSpegel(ctx: ClusterContext, o: UninstallOptions = {}): Promise<void> {
  const c = ctx.cluster.spegel;
  if (await ctx.helm.status(c.release, c.namespace)) {
    try {
      await ctx.helm.uninstall(c.release, c.namespace);
    } catch (e) {
      if (!/hook|cleanup/i.test((e as Error).message)) throw e;
      throw new UnhealthyError(
        `spegel: release ${c.release} was removed but its post-delete cleanup hook failed, so nodes may still carry Spegel's hosts.toml under ${c.containerdRegistryConfigPath}: ` +
          `check pods ${c.release}-cleanup-* in ${c.namespace}, then delete the namespace (${(e as Error).message.split('\n')[0]})`,
      );
    }
  }
  if (o.keepNamespace) return;
  const ns = await ctx.kube.read({ apiVersion: 'v1', kind: 'Namespace', name: c.namespace });
  if (!ns || !ownsNamespace(ns)) return;
  await ctx.kube.delete({ apiVersion: 'v1', kind: 'Namespace', name: c.namespace });
  await ctx.kube.waitFor({
    path: '/api/v1/namespaces',
    query: { fieldSelector: `metadata.name=${c.namespace}` },
    description: `namespace ${c.namespace} to be deleted`,
    timeoutMs: o.namespaceTimeoutMs ?? 300_000,
    signal: ctx.signal,
    until: (_t, _o, all) => (all.size === 0 ? true : undefined),
  });
}
