import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError, type KubeObject } from '@stateless-ci/core';
import { KIND_ORDER, setFlag, transform, webhooksOf, failurePolicyCheck, rulesCheck, scopeCheck } from '@stateless-ci/digester';
import { PINNED_IMAGE, cluster, upstreamLike } from './support/fixture.ts';

const t = suite('digester transform');
const find = (objs: KubeObject[], kind: string) => objs.find((o) => o.kind === kind)!;
const manager = (objs: KubeObject[]) => (find(objs, 'Deployment').spec as { template: { spec: { containers: { args: string[]; env?: { name: string; value?: string }[]; volumeMounts?: unknown[] }[]; volumes?: unknown[] } } }).template.spec;

t('scopes the webhook to every namespace but kube-system and its own, Pods on CREATE, Ignore, configured timeout', () => {
  const objs = transform(upstreamLike(), cluster());
  const [hook] = webhooksOf(find(objs, 'MutatingWebhookConfiguration'));
  assert.equal(hook!.namespaceSelector, { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', 'digester-system'] }] });
  assert.equal(hook!.rules, [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'], scope: 'Namespaced' }]);
  assert.is(hook!.failurePolicy, 'Ignore');
  assert.is(hook!.timeoutSeconds, 5);
  const mwc = find(objs, 'MutatingWebhookConfiguration');
  for (const c of [scopeCheck(mwc, cluster()), rulesCheck(mwc), failurePolicyCheck(mwc, cluster())]) assert.is(c.status, 'pass', c.detail);
});

t('never renders caBundle (the rotator owns it) nor Secret data', () => {
  const objs = transform(upstreamLike(), cluster());
  assert.is(webhooksOf(find(objs, 'MutatingWebhookConfiguration'))[0]!.clientConfig!.caBundle, undefined);
  assert.is(find(objs, 'Secret').data, undefined);
});

t('kube-system stays excluded whatever the configuration lists, and exclusions are added', () => {
  const objs = transform(upstreamLike(), cluster({ excludeNamespaces: ['team-a', 'kube-system'], namespace: 'pinning' }));
  const sel = webhooksOf(find(objs, 'MutatingWebhookConfiguration'))[0]!.namespaceSelector!;
  assert.equal(sel.matchExpressions![0]!.values, ['kube-system', 'pinning', 'team-a']);
});

t('moves every object, binding subject and the webhook service to the configured namespace', () => {
  const objs = transform(upstreamLike(), cluster({ namespace: 'pinning' }));
  assert.is(find(objs, 'Namespace').metadata.name, 'pinning');
  for (const o of objs.filter((x) => !['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'MutatingWebhookConfiguration'].includes(x.kind))) assert.is(o.metadata.namespace, 'pinning', o.kind);
  assert.is((find(objs, 'ClusterRoleBinding').subjects as { namespace: string }[])[0]!.namespace, 'pinning');
  const hook = webhooksOf(find(objs, 'MutatingWebhookConfiguration'))[0]!;
  assert.is(hook.clientConfig!.service!.namespace, 'pinning');
  assert.is(hook.name, 'digester-webhook-service.pinning.svc');
});

t('replicas, skip prefixes and the online auth flag reach the Deployment', () => {
  const objs = transform(upstreamLike(), cluster({ replicas: 2, skipPrefixes: ['registry.k8s.io/', 'quay.io/'] }));
  assert.is((find(objs, 'Deployment').spec as { replicas: number }).replicas, 2);
  assert.equal(manager(objs).containers[0]!.args, ['webhook', '--cert-dir=/certs', '--offline=false', '--port=8443', '--skip-prefixes=registry.k8s.io/:quay.io/']);
});

t('a docker config Secret switches to offline auth, mounts it, and drops cluster-wide secret access', () => {
  const objs = transform(upstreamLike(), cluster({ dockerConfigSecret: 'regcred' }));
  const pod = manager(objs);
  assert.ok(pod.containers[0]!.args.includes('--offline=true'));
  assert.equal(pod.volumes, [{ name: 'docker-config', secret: { secretName: 'regcred', items: [{ key: '.dockerconfigjson', path: 'config.json' }] } }]);
  assert.equal(pod.containers[0]!.env, [{ name: 'DOCKER_CONFIG', value: '/docker-config' }]);
  const rules = find(objs, 'ClusterRole').rules as { resources: string[] }[];
  assert.not.ok(rules.some((r) => r.resources.includes('secrets')));
  assert.is(rules.length, 1);
});

t('objects come out in apply order, the webhook last', () => {
  const objs = transform([...upstreamLike()].reverse(), cluster());
  assert.equal(objs.map((o) => o.kind), KIND_ORDER.filter((k) => k !== 'Role' && k !== 'RoleBinding'));
});

t('refuses an image that is not digest-pinned, or of another version than pinned', () => {
  assert.throws(() => transform(upstreamLike('k8s-digester'), cluster()), (e: unknown) => e instanceof ConfigError && /not pinned to a digest/.test(e.message));
  assert.throws(() => transform(upstreamLike(PINNED_IMAGE.replace('v0.1.16', 'v0.1.15')), cluster()), (e: unknown) => e instanceof ConfigError && /digester\.manifests\.version: is v0\.1\.16, but the manifests deploy/.test(e.message));
});

t('refuses manifests that are not k8s-digester', () => {
  assert.throws(() => transform(upstreamLike().filter((o) => o.kind !== 'Deployment'), cluster()), (e: unknown) => e instanceof ConfigError && /no Deployment digester-controller-manager/.test(e.message));
});

t('setFlag replaces in place, appends when absent, removes on undefined', () => {
  assert.equal(setFlag(['a', '--x=1', 'b'], '--x', '2'), ['a', '--x=2', 'b']);
  assert.equal(setFlag(['a'], '--x', '2'), ['a', '--x=2']);
  assert.equal(setFlag(['a', '--x=1'], '--x', undefined), ['a']);
});

t.run();
