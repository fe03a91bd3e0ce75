/**
 * End to end with the real k8s-digester v0.1.16 binary (built from the Go module proxy), serving
 * over TLS on 127.0.0.1 inside the test netns, behind a webhook registered by URL that carries the
 * exact scope our transform renders. Images are pushed to the harness registry with core's OCI
 * client. A Pod with :latest in arc-runners gets the digest; re-pushing :latest gives the next Pod
 * the new digest; kube-system keeps its tag; when the digester dies, pods still get created.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { healthy, type KubeObject } from '@stateless-ci/core';
import { digesterComponent, structureChecks, verifyAdmission, WEBHOOK_CONFIGURATION } from '@stateless-ci/digester';
import { closeHarness, openHarness, type Fixture } from '../harness/fixture.ts';
import { harnessContext, pushDigesterManifests, type TestContext } from './support/context.ts';
import { startDigester, type DigesterProcess } from '../harness/src/stand-ins/digester-process.ts';
import { pushImage } from './support/images.ts';
import { borrowNamespace, returnNamespace } from './support/namespaces.ts';
import { skipSuiteIfMissing } from './support/prereqs.ts';

interface Ctx {
  f?: Fixture;
  t?: TestContext;
  proc?: DigesterProcess;
  dir?: string;
  hook?: string;
  createdRunnerNs?: boolean;
  image?: string;
  pods: { ns: string; name: string }[];
}

const FILE = 'tests/digester/pinning.cluster.test.ts';
const RUNNERS = 'arc-runners';

async function createPod(c: Ctx, ns: string, image: string): Promise<{ image: string; ms: number }> {
  const t0 = performance.now();
  const body = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { generateName: 'digester-e2e-', namespace: ns },
    spec: { automountServiceAccountToken: false, containers: [{ name: 'app', image }] },
  } as unknown as KubeObject;
  const pod = await c.t!.ctx.kube.create<KubeObject & { spec: { containers: { image: string }[] } }>(body);
  const ms = Math.round(performance.now() - t0);
  c.pods.push({ ns, name: pod.metadata.name });
  return { image: pod.spec.containers[0]!.image, ms };
}

if (!skipSuiteIfMissing(FILE, { binary: true })) {
  const t = suite<Ctx>('digester end to end: real k8s-digester pins tags to digests', { pods: [] });

  t.before(async (c) => {
    c.f = await openHarness();
    const h = c.f.h;
    await pushDigesterManifests(h);
    c.t = await harnessContext(h);
    const kube = c.t.ctx.kube;
    c.dir = await mkdtemp(join(tmpdir(), 'digester-e2e-'));
    c.proc = await startDigester({ kubeconfig: h.kubeconfig, namespace: c.t.ctx.cluster.digester.namespace, dir: join(c.dir, 'certs'), rotation: false });
    c.createdRunnerNs = await borrowNamespace(kube, RUNNERS);
    // The rendered webhook, unchanged but for where it sends requests.
    const rendered = (await digesterComponent.render(c.t.ctx)).objects.find((o) => o.kind === 'MutatingWebhookConfiguration')!;
    c.hook = `digester-e2e-${process.pid}`;
    const webhooks = (rendered.webhooks as Record<string, unknown>[]).map((w) => ({ ...w, clientConfig: { url: c.proc!.url, caBundle: c.proc!.caBundle } }));
    await kube.create({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: c.hook }, webhooks });
    c.image = `${h.registry}/digester-e2e-${process.pid}/app:latest`;
  });

  t.after(async (c) => {
    const kube = c.t?.ctx.kube;
    if (kube && c.hook) await kube.delete({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', name: c.hook });
    for (const p of c.pods) await kube?.delete({ apiVersion: 'v1', kind: 'Pod', namespace: p.ns, name: p.name });
    if (kube) await returnNamespace(kube, RUNNERS, c.createdRunnerNs);
    await c.proc?.stop();
    if (c.dir) await rm(c.dir, { recursive: true, force: true });
    await c.t?.dispose();
    await closeHarness(c.f);
  });

  t('the e2e webhook carries the rendered scope: kube-system and digester-system excluded, Pods only, Ignore', async (c) => {
    const mwc = await c.t!.ctx.kube.read({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', name: c.hook! });
    const checks = structureChecks(mwc, c.t!.ctx);
    assert.equal(checks.map((x) => x.status), ['pass', 'pass', 'pass', 'pass'], JSON.stringify(checks));
    assert.is.not(c.hook, WEBHOOK_CONFIGURATION);
  });

  t('a Pod with :latest in arc-runners is pinned to the digest of :latest', async (c) => {
    const d1 = await pushImage(c.image!, `v1 ${Date.now()}`);
    const pod = await createPod(c, RUNNERS, c.image!);
    assert.is(pod.image, `${c.image}@${d1}`);
    console.log(`  # admission with the real digester: ${pod.ms} ms`);
  });

  t('re-pushing :latest gives the next Pod the new digest', async (c) => {
    const before = await createPod(c, RUNNERS, c.image!);
    const d2 = await pushImage(c.image!, `v2 ${Date.now()}`);
    assert.is.not(before.image, `${c.image}@${d2}`);
    const after = await createPod(c, RUNNERS, c.image!);
    assert.is(after.image, `${c.image}@${d2}`);
  });

  t('a Pod in kube-system keeps its tag, and the digester is never even called for it', async (c) => {
    const calls = () => c.proc!.logs.filter((l) => /"received request"/.test(l) && /"namespace":"kube-system"/.test(l)).length;
    const pod = await createPod(c, 'kube-system', c.image!);
    assert.is(pod.image, c.image);
    assert.is(calls(), 0, 'the API server sent no kube-system request to the digester');
    await c.proc!.waitForLog(/"received request".*"namespace":"arc-runners"/, 1_000);
  });

  t('verify: the dry-run probe comes back pinned in arc-runners and untouched in kube-system, with latency', async (c) => {
    const checks = await verifyAdmission(c.t!.ctx, c.image!);
    assert.ok(healthy(checks), JSON.stringify(checks));
    assert.equal(checks.map((x) => [x.name, x.status]), [['digester.pins-runner-pods', 'pass'], ['digester.kube-system-untouched', 'pass']]);
    const m = checks[0]!.metrics!;
    assert.ok(m.admissionMs! >= 0 && m.baselineMs! >= 0, JSON.stringify(m));
    console.log(`  # verify latency: ${JSON.stringify(m)}`);
  });

  t('with the digester gone, Pods are still admitted (unpinned, failing open) and verify says why', async (c) => {
    await c.proc!.stop();
    const pod = await createPod(c, RUNNERS, c.image!);
    assert.is(pod.image, c.image, 'admitted unchanged');
    assert.ok(pod.ms < c.t!.ctx.cluster.digester.timeoutSeconds * 1000, `admitted in ${pod.ms} ms, within the webhook timeout`);
    const checks = await verifyAdmission(c.t!.ctx, c.image!);
    assert.is(checks[0]!.status, 'fail');
    assert.match(checks[0]!.detail, /not pinned/);
    assert.is(checks[1]!.status, 'pass');
    console.log(`  # fail-open admission: ${pod.ms} ms; verify: ${checks[0]!.detail}`);
  });

  t.run();
}
