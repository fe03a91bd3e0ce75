/** What an apply would change: each rendered object against the live one, via server-side dry-run. */
import { describeKey, keyOf, type ClusterContext, type ComponentPlan, type KubeObject, type PlannedChange } from '@stateless-ci/core';
import { scopePatch } from './apply.ts';
import { diffLines } from './diff.ts';
import { caBundleVerdict } from './readiness.ts';

export async function planObjects(ctx: ClusterContext, objects: readonly KubeObject[]): Promise<ComponentPlan> {
  // Every object at once (reads and dry runs only); changes and notes in render order.
  const each = await Promise.all(objects.map((o) => planOne(ctx, o)));
  return { component: 'digester', changes: each.map((e) => e.change), notes: each.flatMap((e) => e.notes) };
}

async function planOne(ctx: ClusterContext, o: KubeObject): Promise<{ change: PlannedChange; notes: string[] }> {
  const notes: string[] = [];
  const key = keyOf(o);
  const object = describeKey(key);
  const live = await ctx.kube.read(key);
  if (!live) return { change: { kind: 'create', object }, notes };
  if (live.metadata.deletionTimestamp) notes.push(`${object} is being deleted; apply will refuse until it is gone`);
  const dry = await ctx.kube.apply(o, { dryRun: true });
  const diff = diffLines(live, dry);
  if (o.kind === 'MutatingWebhookConfiguration') {
    const ops = scopePatch(dry, o);
    if (ops.length > 0) {
      diff.push(...ops.map((op) => `~ ${op.path}: owned by another field manager; apply replaces it`));
      notes.push(`${object} carries scope fields from another installer (${ops.map((op) => op.path).join(', ')}); apply takes them over`);
    }
    const ca = caBundleVerdict(live);
    if (!ca.ok) notes.push(`caBundle: ${ca.detail}`);
  }
  return { change: diff.length > 0 ? { kind: 'update', object, diff } : { kind: 'unchanged', object }, notes };
}
