/**
 * The structural checks against hand-broken webhook configurations on a real API server, and the
 * takeover of an upstream-style install (opt-in label, workload rules, UPDATE) by apply. Every
 * broken webhook carries an objectSelector nothing matches and points at a closed port, so it
 * cannot affect other suites sharing the harness while it exists.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Check } from '@stateless-ci/core';
import { WEBHOOK_CONFIGURATION, createDigesterComponent, verifyStructure, webhooksOf } from '@stateless-ci/digester';
import { closeHarness, openHarness, type Fixture } from '../harness/fixture.ts';
import { harnessContext, pushDigesterManifests, type TestContext } from './support/context.ts';
import { skipSuiteIfMissing } from './support/prereqs.ts';

const FILE = 'tests/digester/scope.cluster.test.ts';
const PATH = '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations';
const MWC = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', name: WEBHOOK_CONFIGURATION } as const;
const FAKE_CA = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n').toString('base64');
const component = createDigesterComponent();

interface Ctx {
  f?: Fixture;
  t?: TestContext;
}

const podRules = [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'], scope: 'Namespaced' }];
const good = {
  name: 'digester-webhook-service.digester-system.svc',
  admissionReviewVersions: ['v1'],
  sideEffects: 'None',
  clientConfig: { url: 'https://127.0.0.1:1/v1/mutate', caBundle: FAKE_CA },
  objectSelector: { matchLabels: { 'stateless-ci/never': 'matches' } },
  namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', 'digester-system'] }] },
  rules: podRules,
  failurePolicy: 'Ignore',
  timeoutSeconds: 5,
};

async function withBroken(c: Ctx, webhook: Record<string, unknown>): Promise<Check[]> {
  const h = c.f!.h;
  await h.client.create(PATH, { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: WEBHOOK_CONFIGURATION }, webhooks: [webhook] });
  try {
    return await verifyStructure(c.t!.ctx);
  } finally {
    await h.client.remove(`${PATH}/${WEBHOOK_CONFIGURATION}`);
  }
}

const byName = (checks: Check[], name: string) => checks.find((x) => x.name === name)!;

if (!skipSuiteIfMissing(FILE)) {
  const t = suite<Ctx>('digester scope checks on hand-broken webhooks');

  t.before(async (c) => {
    c.f = await openHarness();
    await pushDigesterManifests(c.f.h);
    c.t = await harnessContext(c.f.h);
    assert.not.ok(await c.t.ctx.kube.read(MWC), 'no digester installed before the suite');
  });

  t.after(async (c) => {
    if (c.t && (await c.t.ctx.kube.read(MWC))) await component.uninstall(c.t.ctx);
    await c.t?.dispose();
    await closeHarness(c.f);
  });

  t('kube-system in scope (selector excludes only the digester namespace) fails the scope check', async (c) => {
    const checks = await withBroken(c, { ...good, namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['digester-system'] }] } });
    const scope = byName(checks, 'digester.webhook-scope');
    assert.is(scope.status, 'fail');
    assert.match(scope.detail, /must never touch are in scope: .*kube-system/);
    assert.equal(scope.failing, ['digester-webhook-service.digester-system.svc: kube-system']);
    assert.is(byName(checks, 'digester.webhook-rules').status, 'pass');
  });

  t('an exclusion by a mutable label instead of the namespace name does not count', async (c) => {
    const checks = await withBroken(c, { ...good, namespaceSelector: { matchExpressions: [{ key: 'control-plane', operator: 'DoesNotExist' }] } });
    assert.is(byName(checks, 'digester.webhook-scope').status, 'fail');
  });

  t('workloads in the rules fail the rules check, naming them', async (c) => {
    const rules = [...podRules, { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments', 'replicasets'], scope: 'Namespaced' }];
    const checks = await withBroken(c, { ...good, rules });
    const r = byName(checks, 'digester.webhook-rules');
    assert.is(r.status, 'fail');
    assert.match(r.detail, /Pods only.*apps\/deployments, apps\/replicasets/);
    assert.is(byName(checks, 'digester.webhook-scope').status, 'fail', 'the never-matching objectSelector is flagged too');
  });

  t('failurePolicy Fail fails the failure-policy check', async (c) => {
    const checks = await withBroken(c, { ...good, failurePolicy: 'Fail' });
    const fp = byName(checks, 'digester.failure-policy');
    assert.is(fp.status, 'fail');
    assert.match(fp.detail, /failurePolicy is Fail; a broken digester would block every pod/);
  });

  t('a missing webhook configuration fails presence and skips the rest', async (c) => {
    const checks = await verifyStructure(c.t!.ctx);
    assert.equal(checks.map((x) => x.status), ['fail', 'skip', 'skip', 'skip']);
  });

  t('apply takes over an upstream-style install: opt-in label, workloads, UPDATE and Fail are replaced; caBundle kept', async (c) => {
    const h = c.f!.h;
    const upstreamStyle = {
      ...good,
      objectSelector: undefined,
      clientConfig: { service: { name: 'digester-webhook-service', namespace: 'digester-system', path: '/v1/mutate' }, caBundle: FAKE_CA },
      namespaceSelector: { matchLabels: { 'digest-resolution': 'enabled' } },
      rules: [{ apiGroups: ['', 'apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods', 'deployments'], scope: 'Namespaced' }],
      failurePolicy: 'Fail',
      timeoutSeconds: 15,
    };
    await h.client.create(PATH, { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: WEBHOOK_CONFIGURATION }, webhooks: [upstreamStyle] });
    assert.ok((await verifyStructure(c.t!.ctx)).some((x) => x.status === 'fail'));
    await component.apply(c.t!.ctx);
    const checks = await verifyStructure(c.t!.ctx);
    assert.ok(checks.every((x) => x.status === 'pass'), JSON.stringify(checks));
    const live = await c.t!.ctx.kube.read(MWC);
    assert.is(webhooksOf(live!)[0]!.clientConfig!.caBundle, FAKE_CA);
    // LabelSelector is an atomic struct and rules an atomic list, so the forced apply alone replaced
    // them; the scope patch (apply.ts) is the safety net for fields that are not atomic.
    assert.not.ok(c.t!.lines.some((l) => /widened the scope/.test(l)), c.t!.lines.join('\n'));
    await component.uninstall(c.t!.ctx);
    assert.not.ok(await c.t!.ctx.kube.read(MWC));
  });

  t.run();
}
