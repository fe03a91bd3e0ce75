/**
 * ARC upgrade 0.13.1 → 0.14.2 on the harness: the plan shows the documented path first; apply
 * follows it (scale set out, controller out, CRDs replaced, reinstall) and the scale set
 * comes back with the same name and values. fake-controller.ts clears the cleanup finalizers that
 * the real controller would clear. Skipped when either chart version is unavailable.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ClusterConfig, KubeObject } from '@stateless-ci/core';
import { arcComponent, crdState, readCrdStates, readLive, scaleSetValues, type ArcSnapshot } from '@stateless-ci/arc';
import { closeHarness, openHarness, type Fixture } from '../harness/fixture.ts';
import { CURRENT, PREVIOUS, arcChartDir, pushArcCharts } from './charts.ts';
import { cleanupCluster, forCluster, harnessContext, testCluster, withVersion, type TestContext } from './cluster-context.ts';
import { startFakeController } from './fake-controller.ts';

const FILE = 'tests/arc/upgrade.cluster.test.ts';
const current = arcChartDir(CURRENT);
const previous = arcChartDir(PREVIOUS);

interface Ctx {
  f?: Fixture;
  old?: ClusterConfig;
  t?: TestContext;
  before?: { values: unknown; spec: unknown; uid?: string };
  snap?: ArcSnapshot;
}

type Ars = KubeObject & { spec: Record<string, unknown> };

if (!current.dir || !previous.dir) {
  console.log(`# skipped-suite: ${FILE}: ${current.reason ?? previous.reason}`);
} else {
  const t = suite<Ctx>('arc upgrade 0.13.1 → 0.14.2 on the harness');
  const tag = `u${process.pid % 100000}`;

  t.before(async (ctx) => {
    ctx.f = await openHarness();
    await pushArcCharts(ctx.f.h, previous.dir!, PREVIOUS);
    await pushArcCharts(ctx.f.h, current.dir!, CURRENT);
    ctx.old = await testCluster(tag, PREVIOUS);
    ctx.t = await harnessContext(ctx.f.h, ctx.old);
  });
  t.after(async (ctx) => {
    if (ctx.f && ctx.old) await cleanupCluster(ctx.f.h, ctx.old, { crds: true }).catch((e: unknown) => console.error(`cleanup: ${String(e)}`));
    await ctx.t?.dispose();
    await closeHarness(ctx.f);
  });

  const arsPath = (c: ClusterConfig) => `/apis/actions.github.com/v1alpha1/namespaces/${c.namespaces.runners}/autoscalingrunnersets/${c.arc.runnerSet.name}`;

  t('install 0.13.1', async (ctx) => {
    const { f, old, t: tc } = ctx;
    const res = await arcComponent.apply(tc!.ctx);
    assert.ok(res.changed);
    await arcComponent.wait(tc!.ctx);
    const ars = await f!.h.client.get<Ars>(arsPath(old!));
    assert.is(ars.metadata.labels?.['app.kubernetes.io/version'], PREVIOUS);
    const live = await readLive(tc!.ctx);
    assert.is(live.controller?.version, PREVIOUS);
    assert.is(crdState('autoscalingrunnersets.actions.github.com', await f!.h.client.get<KubeObject>('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/autoscalingrunnersets.actions.github.com')).hasPhase, false);
    ctx.before = { values: live.scaleSet?.values, spec: ars.spec, uid: ars.metadata.uid };
  });

  t('the 0.14.2 plan shows the documented upgrade path first', async ({ old, t: tc }) => {
    const plan = await arcComponent.plan(forCluster(tc!.ctx, withVersion(old!, CURRENT)));
    assert.match(plan.notes[0]!, /^ARC upgrade \(controller chart 0\.13\.1 → 0\.14\.2; CRDs changed: .*\): following the documented path\. 1\) uninstall scale set/);
    // Only the ARC #4411 workaround that 0.13.x needed goes away.
    assert.is(plan.notes[1], 'scale-set values preserved except: + template.spec.containers[0].volumeMounts: [] - template.spec.containers[0].volumeMounts[0].mountPath: "/tmp" - template.spec.containers[0].volumeMounts[0].name: "runner-tmp" + template.spec.volumes: [] - template.spec.volumes[0].emptyDir: {} - template.spec.volumes[0].name: "runner-tmp"');
    assert.equal(plan.changes.slice(0, 2).map((c) => `${c.kind} ${c.object}`), [
      `delete helm release ${old!.namespaces.runners}/${old!.arc.runnerSet.name}`,
      `delete helm release ${old!.namespaces.controller}/${old!.arc.controller.release}`,
    ]);
  });

  t('apply 0.14.2 follows the path; the scale set comes back with the same name and values', async (ctx) => {
    const { f, old, t: tc, before } = ctx;
    const h = f!.h;
    const next = withVersion(old!, CURRENT);
    const ctx14 = forCluster(tc!.ctx, next);
    ctx.snap = (await arcComponent.snapshot(ctx14)) as ArcSnapshot;
    const sim = startFakeController(h, { runnersNs: old!.namespaces.runners, controllerNs: old!.namespaces.controller });
    const t0 = Date.now();
    try {
      const res = await arcComponent.apply(ctx14);
      assert.match(res.summary, /upgraded via the documented path/);
    } finally {
      await sim.stop();
    }
    const upgradeMs = Date.now() - t0;
    await arcComponent.wait(ctx14);
    console.log(`  arc upgrade ${PREVIOUS} → ${CURRENT} via the documented path: ${upgradeMs} ms`);
    // The log shows the plan before any step, and the steps in order.
    const idx = (re: RegExp) => tc!.lines.findIndex((l) => re.test(l));
    const order = [/arc plan: ARC upgrade/, /arc upgrade 1\/4: uninstalling scale set/, /arc upgrade 2\/4: uninstalling controller/, /arc upgrade 3\/4: replacing 4 CRDs/, /arc upgrade 4\/4/].map(idx);
    assert.ok(order.every((i) => i >= 0), `all steps logged: ${order.join(',')}`);
    assert.equal([...order].sort((a, b) => a - b), order, 'plan first, then the steps in order');
    const ars = await h.client.get<Ars>(arsPath(next));
    assert.is(ars.metadata.name, old!.arc.runnerSet.name);
    assert.is(ars.metadata.labels?.['app.kubernetes.io/version'], CURRENT);
    assert.is.not(ars.metadata.uid, before!.uid, 'reinstalled, not patched');
    const live = await readLive(ctx14);
    // Same values, apart from the 0.13.x-only ARC #4411 workaround volume (shown in the plan).
    const strip = (v: unknown) => {
      const c = structuredClone(v) as { template: { spec: { volumes: unknown[]; containers: { volumeMounts: unknown[] }[] } } };
      c.template.spec.volumes = [];
      c.template.spec.containers[0]!.volumeMounts = [];
      return c;
    };
    assert.equal(live.scaleSet?.values, strip(before!.values), 'helm values of the scale set are the same');
    assert.equal(live.scaleSet?.values, JSON.parse(JSON.stringify(scaleSetValues(next))));
    assert.is(live.controller?.version, CURRENT);
    for (const key of ['githubConfigUrl', 'githubConfigSecret', 'runnerScaleSetName', 'minRunners', 'maxRunners']) {
      assert.equal(ars.spec[key], (before!.spec as Record<string, unknown>)[key], `spec.${key} preserved`);
    }
    const tpl = (s: unknown) => (s as { template: { spec: { nodeSelector: unknown; containers: { image: string; resources: unknown }[] } } }).template.spec;
    assert.equal(tpl(ars.spec).nodeSelector, tpl(before!.spec).nodeSelector);
    assert.equal(tpl(ars.spec).containers[0]!.resources, tpl(before!.spec).containers[0]!.resources);
    assert.ok(live.crds.every((c) => c.chartVersion === CURRENT), 'CRDs replaced with the 0.14.2 ones');
    assert.ok((await readCrdStates(ctx14.kube)).find((c) => c.name.startsWith('autoscalingrunnersets.'))?.hasPhase, 'the 0.14 schema has status.phase');
    const again = await arcComponent.plan(ctx14);
    assert.equal(again.changes.filter((c) => c.kind !== 'unchanged'), [], 'nothing left to do');
  });

  t('rollback with the snapshot returns to 0.13.1 through the same path, with the 0.13.1 values', async ({ f, old, t: tc, before, snap }) => {
    const ctx14 = forCluster(tc!.ctx, withVersion(old!, CURRENT));
    const sim = startFakeController(f!.h, { runnersNs: old!.namespaces.runners, controllerNs: old!.namespaces.controller });
    try {
      const summary = await arcComponent.rollback(ctx14, snap);
      assert.match(summary, /upgraded via the documented path \(controller chart 0\.14\.2 → 0\.13\.1/);
    } finally {
      await sim.stop();
    }
    const live = await readLive(ctx14);
    assert.equal([live.controller?.version, live.scaleSet?.version], [PREVIOUS, PREVIOUS]);
    assert.equal(live.scaleSet?.values, before!.values);
    assert.ok(live.crds.every((c) => c.chartVersion === PREVIOUS));
  });

  t('uninstall', async ({ f, old, t: tc }) => {
    const sim = startFakeController(f!.h, { runnersNs: old!.namespaces.runners, controllerNs: old!.namespaces.controller });
    try {
      await arcComponent.uninstall(forCluster(tc!.ctx, withVersion(old!, CURRENT)));
    } finally {
      await sim.stop();
    }
  });

  t.run();
}
