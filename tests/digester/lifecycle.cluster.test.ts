/**
 * Install, upgrade, rollback and uninstall on the harness, with the real k8s-digester binary running
 * its cert rotator against the API server (as it does in-cluster), so the test proves that our
 * server-side apply and the rotator never fight over caBundle. kwok marks the Deployment's pods
 * Ready; the webhook's in-cluster Service is unreachable (no pod network), which verify reports.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { STATE_NAMESPACE, keyOf, type ClusterContext, type KubeObject, type Snapshot } from '@stateless-ci/core';
import {
  CERT_SECRET,
  DEPLOYMENT,
  SEED_FIELD_MANAGER,
  WEBHOOK_CONFIGURATION,
  clearPrevious,
  createDigesterComponent,
  loadPrevious,
  normalize,
  rollbackTo,
  savePrevious,
  snapshotForm,
  verifyAdmission,
  verifyRollout,
  verifyStructure,
  webhooksOf,
} from '@stateless-ci/digester';
import { closeHarness, openHarness, type Fixture } from '../harness/fixture.ts';
import { harnessContext, pushDigesterManifests, type TestContext } from './support/context.ts';
import { startDigester, type DigesterProcess } from '../harness/src/stand-ins/digester-process.ts';
import { borrowNamespace, returnNamespace } from './support/namespaces.ts';
import { skipSuiteIfMissing } from './support/prereqs.ts';

const FILE = 'tests/digester/lifecycle.cluster.test.ts';
const component = createDigesterComponent({ wait: { timeoutMs: 60_000 } });
const MWC = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', name: WEBHOOK_CONFIGURATION } as const;
const UPGRADE = { replicas: 2, timeoutSeconds: 3, skipPrefixes: ['registry.k8s.io/'], excludeNamespaces: ['team-tools'] };

interface Ctx {
  f?: Fixture;
  t?: TestContext;
  up?: TestContext;
  rotator?: DigesterProcess;
  dir?: string;
  first?: Snapshot;
  beforeUpgrade?: Snapshot;
  caBundle?: string;
  seededCa?: string;
  createdRunnerNs?: boolean;
}

const SECRET = (ctx: ClusterContext) => ({ apiVersion: 'v1', kind: 'Secret', namespace: ctx.cluster.digester.namespace, name: CERT_SECRET }) as const;
const caOf = (mwc: KubeObject | undefined) => (mwc ? webhooksOf(mwc)[0]?.clientConfig?.caBundle : undefined);
const readAll = async (ctx: ClusterContext) => Promise.all((await component.render(ctx)).objects.map((o) => ctx.kube.read(keyOf(o))));

async function namespaceGone(ctx: ClusterContext, ns: string): Promise<void> {
  await ctx.kube.waitFor({ path: '/api/v1/namespaces', query: { fieldSelector: `metadata.name=${ns}` }, timeoutMs: 120_000, description: `namespace ${ns} gone`, until: (_t, _o, all) => (all.size === 0 ? true : undefined) });
}

if (!skipSuiteIfMissing(FILE, { binary: true })) {
  const t = suite<Ctx>('digester lifecycle: install, upgrade, rollback, uninstall');

  t.before(async (c) => {
    c.f = await openHarness();
    await pushDigesterManifests(c.f.h);
    c.t = await harnessContext(c.f.h);
    c.up = await harnessContext(c.f.h, UPGRADE);
    c.dir = await mkdtemp(join(tmpdir(), 'digester-lifecycle-'));
    assert.not.ok(await c.t.ctx.kube.read(MWC), 'no digester installed before the suite');
  });

  t.after(async (c) => {
    await c.rotator?.stop();
    const ctx = c.t?.ctx;
    if (ctx) {
      await returnNamespace(ctx.kube, ctx.cluster.namespaces.runners, c.createdRunnerNs);
      if (await ctx.kube.read(MWC)) await component.uninstall(ctx);
    }
    if (c.dir) await rm(c.dir, { recursive: true, force: true });
    await c.t?.dispose();
    await c.up?.dispose();
    await closeHarness(c.f);
  });

  t('plan on an empty cluster creates all ten objects', async (c) => {
    const plan = await component.plan(c.t!.ctx);
    assert.is(plan.changes.length, 10);
    assert.ok(plan.changes.every((x) => x.kind === 'create'), JSON.stringify(plan.changes));
  });

  t('install: the snapshot records nothing; apply creates everything, issues the certificate and never owns caBundle', async (c) => {
    const ctx = c.t!.ctx;
    c.first = await component.snapshot(ctx);
    assert.ok(c.first.objects!.every((o) => o.before === undefined));
    // Given the snapshot of an install (as the pipeline passes it), apply seeds the cert Secret.
    const res = await component.apply(ctx, c.first);
    assert.ok(res.changed);
    assert.match(res.summary, /10 created/);
    assert.match(res.summary, /webhook certificate issued/);
    const mwc = await ctx.kube.read<KubeObject & { metadata: { managedFields?: { manager: string; fieldsV1?: unknown }[] } }>(MWC);
    const ours = mwc!.metadata.managedFields!.filter((m) => m.manager === 'stateless-ci');
    assert.is(ours.length, 1);
    assert.not.match(JSON.stringify(ours[0]!.fieldsV1), /caBundle/);
    const seeder = mwc!.metadata.managedFields!.filter((m) => m.manager === SEED_FIELD_MANAGER);
    assert.match(JSON.stringify(seeder[0]?.fieldsV1), /caBundle/);
    const secret = await ctx.kube.read<KubeObject & { data?: Record<string, string> }>(SECRET(ctx));
    assert.equal(Object.keys(secret!.data ?? {}).sort(), ['ca.crt', 'ca.key', 'tls.crt', 'tls.key']);
    c.seededCa = secret!.data!['ca.crt'];
    assert.is(caOf(mwc), c.seededCa, 'caBundle is the issued CA from the start');
  });

  t('wait: the real digester rotator accepts the issued certificate and keeps it; the Deployment is Available on kwok', async (c) => {
    const h = c.f!.h;
    const ctx = c.t!.ctx;
    c.rotator = await startDigester({ kubeconfig: h.kubeconfig, namespace: ctx.cluster.digester.namespace, dir: join(c.dir!, 'rotator'), rotation: true });
    await component.wait(ctx);
    // The rotator checks the Secret as it starts (webhook-cert.cluster.test.ts proves it replaces
    // a certificate it rejects within a second or two); ours is still there.
    await new Promise((r) => setTimeout(r, 2_000));
    const secret = await ctx.kube.read<KubeObject & { data?: Record<string, string> }>(SECRET(ctx));
    assert.is(secret!.data!['ca.crt'], c.seededCa, 'the rotator kept the issued CA');
    c.caBundle = caOf(await ctx.kube.read(MWC));
    assert.is(c.caBundle, c.seededCa);
    const checks = await verifyRollout(ctx);
    assert.equal(checks.map((x) => [x.name, x.status]), [['digester.deployment-available', 'pass'], ['digester.service-endpoints', 'pass'], ['digester.ca-bundle', 'pass']], JSON.stringify(checks));
  });

  t('re-apply and plan change nothing; the rotator caBundle stays', async (c) => {
    const plan = await component.plan(c.t!.ctx);
    assert.ok(plan.changes.every((x) => x.kind === 'unchanged'), JSON.stringify(plan.changes.filter((x) => x.kind !== 'unchanged')));
    const res = await component.apply(c.t!.ctx);
    assert.not.ok(res.changed, res.summary);
    assert.is(caOf(await c.t!.ctx.kube.read(MWC)), c.caBundle);
  });

  t('verify on the harness: structure and rollout pass, the dry-run probe fails with the fail-open reason', async (c) => {
    const ctx = c.t!.ctx;
    c.createdRunnerNs = await borrowNamespace(ctx.kube, ctx.cluster.namespaces.runners);
    const structure = await verifyStructure(ctx);
    assert.ok(structure.every((x) => x.status === 'pass'), JSON.stringify(structure));
    const admission = await verifyAdmission(ctx, `${c.f!.h.registry}/digester-lifecycle/app:latest`);
    assert.is(admission[0]!.status, 'fail');
    assert.match(admission[0]!.detail, /not pinned: the webhook failed open/);
    assert.is(admission[1]!.status, 'pass');
  });

  t('upgrade: plan shows the diff, apply changes replicas, timeout, args and scope, and keeps caBundle', async (c) => {
    const ctx = c.up!.ctx;
    const plan = await component.plan(ctx);
    const updated = plan.changes.filter((x) => x.kind === 'update').map((x) => x.object);
    assert.equal(updated.sort(), [`Deployment/digester-system/${DEPLOYMENT}`, `MutatingWebhookConfiguration/${WEBHOOK_CONFIGURATION}`].sort());
    const diff = plan.changes.find((x) => x.object.startsWith('Deployment'))!.diff!.join('\n');
    assert.match(diff, /\+ spec\.replicas: 2/);
    assert.match(diff, /--skip-prefixes=registry\.k8s\.io\//);
    c.beforeUpgrade = await component.snapshot(ctx);
    // As the pipeline does: apply gets the snapshot just taken and reads none of the objects again.
    const gets = ctx.kube.counts.get;
    const res = await component.apply(ctx, c.beforeUpgrade);
    assert.ok(ctx.kube.counts.get - gets < c.beforeUpgrade.objects!.length, `apply read ${ctx.kube.counts.get - gets} objects again`);
    assert.match(res.summary, /2 updated/);
    const mwc = await ctx.kube.read(MWC);
    assert.is(caOf(mwc), c.caBundle);
    assert.is(webhooksOf(mwc!)[0]!.timeoutSeconds, 3);
    assert.equal(webhooksOf(mwc!)[0]!.namespaceSelector!.matchExpressions![0]!.values, ['kube-system', 'digester-system', 'team-tools']);
    const structure = await verifyStructure(ctx);
    assert.ok(structure.every((x) => x.status === 'pass'), JSON.stringify(structure));
  });

  t('rollback to the pre-upgrade snapshot restores every object exactly', async (c) => {
    const ctx = c.t!.ctx;
    const summary = await component.rollback(ctx, c.beforeUpgrade!);
    assert.match(summary, /10 objects restored, 0 removed/);
    const live = await readAll(ctx);
    c.beforeUpgrade!.objects!.forEach((e, i) => {
      // snapshotForm: the Secret's key material is neither snapshotted nor compared (nor printed).
      assert.equal(normalize(snapshotForm(live[i]!)), normalize(e.before!), e.key);
    });
    const plan = await component.plan(ctx);
    assert.ok(plan.changes.every((x) => x.kind === 'unchanged'), JSON.stringify(plan.changes.filter((x) => x.kind !== 'unchanged')));
    assert.is(caOf(await ctx.kube.read(MWC)), c.caBundle);
  });

  t('rollback to the first snapshot removes everything (webhook first)', async (c) => {
    const ctx = c.t!.ctx;
    await c.rotator!.stop();
    const summary = await rollbackTo(ctx, c.first!);
    assert.match(summary, /0 objects restored, 10 removed/);
    await namespaceGone(ctx, ctx.cluster.digester.namespace);
    assert.ok((await readAll(ctx)).every((o) => o === undefined));
  });

  t('rollback without a snapshot refuses with the way out when no revision is recorded', async (c) => {
    try {
      await component.rollback(c.t!.ctx);
      assert.unreachable('should refuse');
    } catch (e) {
      assert.is((e as Error).name, 'RefusedError');
      assert.match((e as Error).message, /pnpm task digester uninstall/);
    }
  });

  t('a CLI rollback (no snapshot given) returns to the state before the last changing apply', async (c) => {
    await component.apply(c.t!.ctx);
    const installed = await c.t!.ctx.kube.read(MWC);
    await component.apply(c.up!.ctx);
    assert.is(webhooksOf((await c.t!.ctx.kube.read(MWC))!)[0]!.timeoutSeconds, 3);
    assert.match(await component.rollback(c.t!.ctx), /10 objects restored, 0 removed/);
    assert.is(webhooksOf((await c.t!.ctx.kube.read(MWC))!)[0]!.timeoutSeconds, webhooksOf(installed!)[0]!.timeoutSeconds);
    const plan = await component.plan(c.t!.ctx);
    assert.ok(plan.changes.every((x) => x.kind === 'unchanged'), JSON.stringify(plan.changes.filter((x) => x.kind !== 'unchanged')));
    // The recorded revision is used once: a second rollback has nothing to return to.
    try {
      await component.rollback(c.t!.ctx);
      assert.unreachable('should refuse');
    } catch (e) {
      assert.is((e as Error).name, 'RefusedError');
    }
  });

  t('the recorded revision is kept even when the state namespace is missing: it is created first', async (c) => {
    const ctx = c.t!.ctx;
    if (await ctx.kube.read({ apiVersion: 'v1', kind: 'Namespace', name: STATE_NAMESPACE })) {
      await ctx.kube.delete({ apiVersion: 'v1', kind: 'Namespace', name: STATE_NAMESPACE });
      await namespaceGone(ctx, STATE_NAMESPACE);
    }
    const snapshot: Snapshot = { component: 'digester', releases: [], objects: [] };
    await savePrevious(ctx, snapshot);
    assert.ok(await ctx.kube.read({ apiVersion: 'v1', kind: 'Namespace', name: STATE_NAMESPACE }), 'state namespace created');
    assert.equal(await loadPrevious(ctx), snapshot);
    const second: Snapshot = { ...snapshot, objects: [{ key: 'v1/ConfigMap/example/absent' }] };
    await savePrevious(ctx, second);
    assert.equal(await loadPrevious(ctx), second, 'written again in place');
    await clearPrevious(ctx);
    assert.is(await loadPrevious(ctx), undefined);
  });

  t('install again, then uninstall removes every object and waits for the namespace', async (c) => {
    const ctx = c.t!.ctx;
    await component.apply(ctx);
    await component.uninstall(ctx);
    assert.ok((await readAll(ctx)).every((o) => o === undefined));
  });

  t.run();
}
