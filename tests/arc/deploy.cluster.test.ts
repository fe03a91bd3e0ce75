/**
 * ARC on the harness: plan, apply (CRDs written whole, controller, credentials Secret, scale set),
 * wait, idempotence, verify verdicts on controller-made objects (healthy and not), redaction,
 * snapshot/rollback and uninstall order. kwok never runs the controller, so fake-controller.ts
 * plays its part. Skipped (one `# skipped-suite` line) when the ARC charts are unavailable.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError, HelmReleaseStore, type Check, type ClusterConfig, type KubeObject } from '@stateless-ci/core';
import { arcComponent, b64, type ArcSnapshot } from '@stateless-ci/arc';
import { closeHarness, openHarness, type Fixture } from '../harness/fixture.ts';
import { watchUntil } from '../harness/src/index.ts';
import { CURRENT, arcChartDir, pushArcCharts } from './charts.ts';
import { cleanupCluster, harnessContext, type TestContext } from './cluster-context.ts';
import { testCluster } from './cluster-context.ts';
import { createListener, createRunnerPod, markRegistered, startFakeController } from './fake-controller.ts';
import { FAKE_APP_ENV } from './fixtures.ts';

const FILE = 'tests/arc/deploy.cluster.test.ts';
const charts = arcChartDir(CURRENT);

interface Ctx {
  f?: Fixture;
  c?: ClusterConfig;
  t?: TestContext;
  outputs: string[];
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else if (e.isFile() && (await stat(p)).size < 50 << 20) out.push(p);
  }
  return out;
}

const byName = (checks: Check[]) => Object.fromEntries(checks.map((c) => [c.name, c]));

if (!charts.dir) {
  console.log(`# skipped-suite: ${FILE}: ${charts.reason}`);
} else {
  const t = suite<Ctx>('arc deploy on the harness', { outputs: [] });
  const tag = `d${process.pid % 100000}`;

  t.before(async (ctx) => {
    ctx.f = await openHarness();
    await pushArcCharts(ctx.f.h, charts.dir!, CURRENT);
    ctx.c = await testCluster(tag, CURRENT);
    ctx.t = await harnessContext(ctx.f.h, ctx.c);
  });
  t.after(async (ctx) => {
    if (ctx.f && ctx.c) await cleanupCluster(ctx.f.h, ctx.c, { crds: true }).catch((e: unknown) => console.error(`cleanup: ${String(e)}`));
    await ctx.t?.dispose();
    await closeHarness(ctx.f);
  });

  t('missing credentials stop the deploy before any change', async ({ f, c }) => {
    const bare = await harnessContext(f!.h, c!, {});
    try {
      const err = await arcComponent.apply(bare.ctx).catch((e: unknown) => e);
      assert.instance(err, ConfigError);
      assert.match((err as Error).message, /GITHUB_APP_ID is not set/);
      const ns = await f!.h.client.raw('GET', `/api/v1/namespaces/${c!.namespaces.controller}`);
      assert.is(ns.status, 404, 'nothing may be created');
    } finally {
      await bare.dispose();
    }
  });

  t('plan on an empty cluster lists the install, CRDs first', async ({ t: tc, outputs }) => {
    const plan = await arcComponent.plan(tc!.ctx);
    outputs.push(JSON.stringify(plan));
    assert.equal(plan.notes, []);
    assert.ok(plan.changes.every((x) => x.kind === 'create'));
    assert.match(plan.changes[0]!.object, /^CustomResourceDefinition\//);
  });

  t('stage creates the absent CRDs only; rolling back to the snapshot before it removes them', async ({ f, t: tc }) => {
    const crdNames = ['autoscalingrunnersets', 'autoscalinglisteners', 'ephemeralrunnersets', 'ephemeralrunners'].map((n) => `${n}.actions.github.com`);
    const present = async () => (await Promise.all(crdNames.map((n) => f!.h.client.raw('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${n}`)))).map((r) => r.status === 200);
    assert.equal(await present(), [false, false, false, false]);
    const snap = await arcComponent.snapshot(tc!.ctx);
    assert.match((await arcComponent.stage!(tc!.ctx)) ?? '', /created 4 absent CRDs/);
    assert.equal(await present(), [true, true, true, true]);
    assert.is(await arcComponent.stage!(tc!.ctx), undefined, 'nothing left to stage');
    assert.match(await arcComponent.rollback(tc!.ctx, snap), /removed the 4 CRDs this run created/);
    assert.equal(await present(), [false, false, false, false]);
  });

  t('apply installs the CRDs, the controller, the Secret and the scale set; wait returns', async ({ f, c, t: tc, outputs }) => {
    const t0 = Date.now();
    const res = await arcComponent.apply(tc!.ctx);
    const applyMs = Date.now() - t0;
    outputs.push(JSON.stringify(res));
    assert.ok(res.changed);
    const t1 = Date.now();
    await arcComponent.wait(tc!.ctx);
    console.log(`  arc apply ${applyMs} ms, wait ${Date.now() - t1} ms, kube requests ${JSON.stringify(tc!.ctx.kube.counts)}`);
    const h = f!.h;
    const crd = await h.client.get<KubeObject>('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/autoscalingrunnersets.actions.github.com');
    assert.is(crd.metadata.annotations?.['stateless-ci/arc-chart-version'], CURRENT);
    assert.not.ok(crd.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'], 'written whole, no last-applied annotation');
    const ars = await h.client.get<KubeObject & { spec: Record<string, unknown> }>(`/apis/actions.github.com/v1alpha1/namespaces/${c!.namespaces.runners}/autoscalingrunnersets/${c!.arc.runnerSet.name}`);
    assert.is(ars.spec.githubConfigSecret, `${c!.arc.runnerSet.name}-github-config`);
    assert.is(ars.spec.maxRunners, 6);
    const tpl = (ars.spec.template as { spec: { nodeSelector: Record<string, string>; volumes?: unknown[] } }).spec;
    assert.is(tpl.nodeSelector['kubernetes.io/arch'], 'amd64');
    assert.equal(tpl.volumes ?? [], []);
    const secret = await h.client.get<{ data: Record<string, string> }>(`/api/v1/namespaces/${c!.namespaces.runners}/secrets/${c!.arc.runnerSet.name}-github-config`);
    assert.equal(Object.keys(secret.data).sort(), ['github_app_id', 'github_app_installation_id', 'github_app_private_key']);
    const dep = await h.client.get<{ metadata: { labels: Record<string, string> } }>(`/apis/apps/v1/namespaces/${c!.namespaces.controller}/deployments/arc-${tag}-gha-rs-controller`);
    assert.is(dep.metadata.labels['actions.github.com/controller-service-account-name'], `arc-${tag}-gha-rs-controller`);
    // The controller release carries its chart without crds/ (the tool owns the CRDs).
    const [rev] = await new HelmReleaseStore(tc!.ctx.kube).revisions(`arc-${tag}`, c!.namespaces.controller);
    const files = (rev!.load() as unknown as { chart: { files?: { name: string }[] } }).chart.files ?? [];
    assert.ok(files.length > 0, 'the chart keeps its other files');
    assert.equal(files.filter((x) => x.name.startsWith('crds/')), []);
  });

  t('a second plan and apply change nothing', async ({ t: tc, outputs }) => {
    const plan = await arcComponent.plan(tc!.ctx);
    outputs.push(JSON.stringify(plan));
    assert.equal(plan.changes.filter((x) => x.kind !== 'unchanged'), []);
    assert.equal(await arcComponent.apply(tc!.ctx), { changed: false, summary: 'arc: nothing to change' });
  });

  t('verify before the controller registers the scale set names what is missing', async ({ t: tc }) => {
    const checks = byName(await arcComponent.verify(tc!.ctx));
    assert.is(checks['arc.crds']!.status, 'pass');
    assert.is(checks['arc.controller-available']!.status, 'pass');
    assert.is(checks['arc.scale-set-present']!.status, 'pass');
    assert.is(checks['arc.runner-mode']!.status, 'pass');
    assert.is(checks['arc.scale-set-registered']!.status, 'fail');
    assert.match(checks['arc.scale-set-registered']!.detail, /not registered with GitHub/);
    assert.is(checks['arc.scale-set-running']!.status, 'fail');
    assert.match(checks['arc.listener-running']!.detail, /no AutoscalingListener/);
    assert.is(checks['arc.runners-arch']!.status, 'pass');
  });

  t('verify with the objects a registered controller creates: healthy, then unhealthy listener and runner arch', async ({ f, c, t: tc }) => {
    const h = f!.h;
    const cns = c!.namespaces.controller;
    const rns = c!.namespaces.runners;
    const set = c!.arc.runnerSet.name;
    await markRegistered(h, rns, set);
    const listener = `${set}-6f8d9c7b-listener`;
    await createListener(h, { controllerNs: cns, runnersNs: rns, scaleSet: set, name: listener });
    await createRunnerPod(h, { ns: rns, scaleSet: set, name: 'runner-ok', arch: 'amd64' });
    const ready = (p: { status?: { phase?: string; containerStatuses?: { ready: boolean }[] } }) => p.status?.phase === 'Running' && p.status.containerStatuses?.every((s) => s.ready) === true;
    await watchUntil(h.client, `/api/v1/namespaces/${cns}/pods`, (m) => ready(m.get(listener) as never), 'listener pod ready', 60_000);
    await watchUntil(h.client, `/api/v1/namespaces/${rns}/pods`, (m) => ready(m.get('runner-ok') as never), 'runner pod running', 60_000);
    const healthy = await arcComponent.verify(tc!.ctx);
    assert.equal(healthy.filter((x) => x.status !== 'pass').map((x) => `${x.name}: ${x.detail}`), []);
    assert.equal(byName(healthy)['arc.runners-arch']!.metrics, { runners: 1 });

    // Unhealthy: a runner pod on an arm64 node, and the listener replaced by one that cannot schedule.
    const armNode = `arc-arm-${tag}`;
    await h.addNode(armNode, { arch: 'arm64' });
    try {
      await createRunnerPod(h, { ns: rns, scaleSet: set, name: 'runner-wrong-arch', arch: 'arm64', nodeName: armNode });
      await h.client.remove(`/api/v1/namespaces/${cns}/pods/${listener}?gracePeriodSeconds=0`);
      await watchUntil(h.client, `/api/v1/namespaces/${cns}/pods`, (m) => !m.has(listener), 'old listener pod gone', 60_000);
      const stuck = `${set}-0a1b2c3d-listener`;
      await h.client.create(`/api/v1/namespaces/${cns}/pods`, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: stuck, labels: { 'app.kubernetes.io/component': 'runner-scale-set-listener', 'actions.github.com/scale-set-name': set } },
        spec: { nodeSelector: { 'kubernetes.io/hostname': 'no-such-node' }, containers: [{ name: 'listener', image: 'x' }] },
      });
      const bad = byName(await arcComponent.verify(tc!.ctx));
      assert.is(bad['arc.listener-running']!.status, 'fail');
      assert.match(bad['arc.listener-running']!.detail, new RegExp(`listener pod ${cns}/${stuck} is Pending; check kubectl -n ${cns} describe pod ${stuck}`));
      assert.is(bad['arc.runners-arch']!.status, 'fail');
      assert.equal(bad['arc.runners-arch']!.failing, ['runner-wrong-arch']);
      assert.match(bad['arc.runners-arch']!.detail, new RegExp(`not amd64: runner-wrong-arch@${armNode}\\(arm64\\)`));
      await h.client.remove(`/api/v1/namespaces/${cns}/pods/${stuck}?gracePeriodSeconds=0`);
    } finally {
      await h.client.remove(`/api/v1/namespaces/${rns}/pods/runner-wrong-arch?gracePeriodSeconds=0`);
      await h.removeNode(armNode);
    }
  });

  t('snapshot and rollback return an in-place change to the recorded revision', async ({ f, c, t: tc }) => {
    const snap = (await arcComponent.snapshot(tc!.ctx)) as ArcSnapshot;
    assert.ok(snap.arc?.secretExisted);
    const changed = { ...c!, arc: { ...c!.arc, runnerSet: { ...c!.arc.runnerSet, maxRunners: 3 } } };
    const res = await arcComponent.apply({ ...tc!.ctx, cluster: changed });
    assert.match(res.summary, /scale set .* 0\.14\.2/);
    const path = `/apis/actions.github.com/v1alpha1/namespaces/${c!.namespaces.runners}/autoscalingrunnersets/${c!.arc.runnerSet.name}`;
    assert.is((await f!.h.client.get<{ spec: { maxRunners: number } }>(path)).spec.maxRunners, 3);
    const summary = await arcComponent.rollback(tc!.ctx, snap);
    assert.match(summary, new RegExp(`${c!.arc.runnerSet.name} → revision 1`));
    assert.is((await f!.h.client.get<{ spec: { maxRunners: number } }>(path)).spec.maxRunners, 6);
  });

  t('credentials never appear in logs, plans, helm release data or temp files', async ({ f, c, t: tc, outputs }) => {
    const h = f!.h;
    const helmData = [
      await tc!.ctx.helm.getValues(c!.arc.runnerSet.name, c!.namespaces.runners).then((v) => JSON.stringify(v)),
      await tc!.ctx.helm.getManifest(c!.arc.runnerSet.name, c!.namespaces.runners),
      await tc!.ctx.helm.getManifest(c!.arc.controller.release, c!.namespaces.controller),
    ];
    const files = [...(await filesUnder(tc!.ctx.workDir)), ...(await filesUnder(join(h.dir, 'helm')))];
    const fileText = await Promise.all(files.map((p) => readFile(p).then((b) => b.toString('latin1'))));
    const haystacks = { logs: tc!.lines.join('\n'), outputs: outputs.join('\n'), helm: helmData.join('\n'), files: fileText.join('\n') };
    assert.ok(tc!.lines.length > 5, 'logs were captured');
    for (const [where, text] of Object.entries(haystacks)) {
      for (const v of Object.values(FAKE_APP_ENV)) {
        for (const needle of [v, b64(v), ...v.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----'))]) {
          assert.not.ok(text.includes(needle), `a credential leaked into ${where}`);
        }
      }
    }
  });

  t('uninstall removes the scale set before the controller, waits for finalizers, keeps the CRDs', async ({ f, c, t: tc }) => {
    const h = f!.h;
    const clearer = startFakeController(h, { runnersNs: c!.namespaces.runners, controllerNs: c!.namespaces.controller });
    try {
      await arcComponent.uninstall(tc!.ctx);
    } finally {
      await clearer.stop();
    }
    assert.ok(clearer.cleared.length >= 3, `the stand-in controller cleared finalizers: ${clearer.cleared.join(', ')}`);
    const lines = tc!.lines.filter((l) => /arc: uninstalling/.test(l));
    assert.match(lines[0]!, /scale set/);
    assert.match(lines.at(-1)!, /controller/);
    assert.is(await tc!.ctx.helm.status(c!.arc.runnerSet.name, c!.namespaces.runners), undefined);
    assert.is(await tc!.ctx.helm.status(c!.arc.controller.release, c!.namespaces.controller), undefined);
    assert.is((await h.client.raw('GET', `/api/v1/namespaces/${c!.namespaces.runners}/secrets/${c!.arc.runnerSet.name}-github-config`)).status, 404);
    assert.is((await h.client.raw('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/autoscalingrunnersets.actions.github.com')).status, 200);
  });

  t.run();
}
