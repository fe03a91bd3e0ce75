/**
 * A component whose whole release is one ConfigMap, driven through the real API: it lets the
 * pipeline tests exercise ordering, retries, rollback, locking and no-op detection against the
 * real control plane, independently of the chart-based components.
 */
import { describeKey, pass, fail, type ClusterContext, type Component, type ComponentName, type KubeObject, type ObjectKey, type Snapshot } from '@stateless-ci/core';

export interface ConfigMapComponentOptions {
  readonly name: ComponentName;
  readonly namespace: string;
  /** The desired data; read at every call, so a test can change it between deploys. */
  readonly data: () => Record<string, string>;
  /** When set, a `stage` step writes ConfigMap `pipeline-<name>-staged` with this data ahead of the apply. */
  readonly staged?: () => Record<string, string>;
}

type Cm = KubeObject & { data?: Record<string, string> };

export function configMapComponent(o: ConfigMapComponentOptions): Component {
  const key: ObjectKey = { apiVersion: 'v1', kind: 'ConfigMap', name: `pipeline-${o.name}`, namespace: o.namespace };
  const desired = (): Cm => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: key.name, namespace: o.namespace }, data: o.data() });
  const same = (a: Record<string, string> | undefined, b: Record<string, string>) => JSON.stringify(Object.entries(a ?? {}).sort()) === JSON.stringify(Object.entries(b).sort());
  const stagedKey: ObjectKey = { ...key, name: `pipeline-${o.name}-staged` };
  const keys = o.staged ? [key, stagedKey] : [key];
  const restore = async (ctx: ClusterContext, k: ObjectKey, before: Cm | undefined): Promise<string> => {
    if (!before) {
      await ctx.kube.delete(k);
      return `removed ${describeKey(k)} (it did not exist before)`;
    }
    // Apply the exact previous data: keys this manager owned but the old state lacks are dropped.
    await ctx.kube.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: k.name, namespace: o.namespace }, data: before.data ?? {} });
    return `restored ${describeKey(k)}`;
  };
  const staged = o.staged;
  return {
    ...(staged
      ? {
          async stage(ctx: ClusterContext) {
            await ctx.kube.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: stagedKey.name, namespace: o.namespace }, data: staged() });
            return `staged ${describeKey(stagedKey)}`;
          },
        }
      : {}),
    name: o.name,
    title: `test ${o.name}`,
    async render() {
      return { objects: [desired()] };
    },
    async plan(ctx) {
      const live = await ctx.kube.read<Cm>(key);
      const kind = !live ? 'create' : same(live.data, o.data()) ? 'unchanged' : 'update';
      return { component: o.name, changes: [{ kind, object: describeKey(key) }], notes: [] };
    },
    async snapshot(ctx) {
      const objects = await Promise.all(keys.map(async (k) => ({ key: describeKey(k), before: await ctx.kube.read<Cm>(k) })));
      return { component: o.name, releases: [], objects };
    },
    async apply(ctx) {
      await ctx.kube.apply(desired());
      return { changed: true, summary: `applied ${describeKey(key)}` };
    },
    async wait(ctx) {
      await ctx.kube.waitFor<Cm, true>({
        path: `/api/v1/namespaces/${o.namespace}/configmaps`,
        query: { fieldSelector: `metadata.name=${key.name}` },
        until: (_t, _obj, all) => [...all.values()].some((c) => same(c.data, o.data())) || undefined,
        timeoutMs: 10_000,
        description: describeKey(key),
      });
    },
    async verify(ctx) {
      const live = await ctx.kube.read<Cm>(key);
      return [same(live?.data, o.data()) ? pass(`${o.name}.configmap`, 'as desired') : fail(`${o.name}.configmap`, 'differs from desired')];
    },
    async rollback(ctx, snapshot?: Snapshot) {
      const done = await Promise.all(keys.map((k, i) => restore(ctx, k, snapshot?.objects?.[i]?.before as Cm | undefined)));
      return done.join('; ');
    },
    async uninstall(ctx) {
      for (const k of keys) await ctx.kube.delete(k);
    },
  };
}
