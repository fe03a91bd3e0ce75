/**
 * A component whose whole release is one ConfigMap, driven through the real API: it lets the
 * pipeline tests exercise ordering, retries, rollback, locking and no-op detection against the
 * real control plane, independently of the chart-based components.
 */
import { describeKey, pass, fail, type Component, type ComponentName, type KubeObject, type ObjectKey, type Snapshot } from '@stateless-ci/core';

export interface ConfigMapComponentOptions {
  readonly name: ComponentName;
  readonly namespace: string;
  /** The desired data; read at every call, so a test can change it between deploys. */
  readonly data: () => Record<string, string>;
}

type Cm = KubeObject & { data?: Record<string, string> };

export function configMapComponent(o: ConfigMapComponentOptions): Component {
  const key: ObjectKey = { apiVersion: 'v1', kind: 'ConfigMap', name: `pipeline-${o.name}`, namespace: o.namespace };
  const desired = (): Cm => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: key.name, namespace: o.namespace }, data: o.data() });
  const same = (a: Record<string, string> | undefined, b: Record<string, string>) => JSON.stringify(Object.entries(a ?? {}).sort()) === JSON.stringify(Object.entries(b).sort());
  return {
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
      const before = await ctx.kube.read<Cm>(key);
      return { component: o.name, releases: [], objects: [{ key: describeKey(key), before }] };
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
      const before = snapshot?.objects?.[0]?.before as Cm | undefined;
      if (!before) {
        await ctx.kube.delete(key);
        return `removed ${describeKey(key)} (it did not exist before)`;
      }
      // Apply the exact previous data: keys this manager owned but the old state lacks are dropped.
      await ctx.kube.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: key.name, namespace: o.namespace }, data: before.data ?? {} });
      return `restored ${describeKey(key)}`;
    },
    async uninstall(ctx) {
      await ctx.kube.delete(key);
    },
  };
}
