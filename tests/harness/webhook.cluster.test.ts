import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { hasDefaultRoute, KubeApiError } from './src/index.ts';
import { closeHarness, freshNamespace, openHarness, type Fixture } from './fixture.ts';

const t = suite<{ f?: Fixture }>('admission webhook to an unreachable Service');
t.before(async (ctx) => {
  ctx.f = await openHarness();
});
t.after(async (ctx) => closeHarness(ctx.f));

t('failurePolicy Fail makes pod creation fail fast with network unreachable, and nothing leaves', async ({ f }) => {
  const h = f!.h;
  assert.is(await hasDefaultRoute(), false, 'no default route in the namespace');
  const ns = await freshNamespace(h, 'webhook');
  await h.client.create(`/api/v1/namespaces/${ns}/services`, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'hook' },
    spec: { selector: { app: 'hook' }, ports: [{ port: 443, targetPort: 8443 }] },
  });
  const name = `harness-hook-${ns}`;
  await h.client.create('/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations', {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: { name },
    webhooks: [
      {
        name: 'hook.harness.stateless-ci.dev',
        clientConfig: { service: { name: 'hook', namespace: ns, path: '/mutate', port: 443 } },
        rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }],
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } },
        failurePolicy: 'Fail',
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
        timeoutSeconds: 10,
      },
    ],
  });
  try {
    const t0 = Date.now();
    const err = await h.client
      .create(`/api/v1/namespaces/${ns}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }] } })
      .then(() => undefined, (e: unknown) => e);
    const elapsed = Date.now() - t0;
    assert.instance(err, KubeApiError);
    const body = (err as KubeApiError).body;
    assert.match(body, /failed calling webhook/);
    assert.match(body, /network is unreachable|connect: /i);
    assert.ok(elapsed < 5000, `failed in ${elapsed} ms (< 5 s)`);
  } finally {
    await h.client.remove(`/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/${name}`);
  }
});

t.run();
