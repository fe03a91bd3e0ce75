import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { KubeObject } from '@stateless-ci/core';
import { failurePolicyCheck, provablyExcluded, rulesCheck, scopeCheck, selectorMatches } from '@stateless-ci/digester';
import { cluster } from './support/fixture.ts';

const t = suite('digester webhook scope (pure)');
const NAME = 'kubernetes.io/metadata.name';
const notIn = (...values: string[]) => ({ matchExpressions: [{ key: NAME, operator: 'NotIn', values }] });
const mwc = (hook: Record<string, unknown>): KubeObject => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: 'm' }, webhooks: [{ name: 'h', ...hook }] });
const pods = [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }];

t('selectorMatches follows label-selector semantics', () => {
  assert.ok(selectorMatches(undefined, {}));
  assert.ok(selectorMatches(notIn('kube-system'), { [NAME]: 'arc-runners' }));
  assert.not.ok(selectorMatches(notIn('kube-system'), { [NAME]: 'kube-system' }));
  assert.ok(selectorMatches({ matchExpressions: [{ key: 'a', operator: 'Exists' }] }, { a: '' }));
  assert.not.ok(selectorMatches({ matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }, { a: '' }));
  assert.not.ok(selectorMatches({ matchLabels: { 'digest-resolution': 'enabled' } }, { [NAME]: 'arc-runners' }));
  assert.not.ok(selectorMatches({ matchExpressions: [{ key: 'a', operator: 'Bogus' }] }, { a: '' }));
});

t('provablyExcluded only trusts the immutable name label', () => {
  assert.ok(provablyExcluded(notIn('kube-system'), 'kube-system'));
  assert.ok(provablyExcluded({ matchExpressions: [{ key: NAME, operator: 'In', values: ['arc-runners'] }] }, 'kube-system'));
  assert.ok(provablyExcluded({ matchLabels: { [NAME]: 'arc-runners' } }, 'kube-system'));
  assert.not.ok(provablyExcluded(undefined, 'kube-system'));
  assert.not.ok(provablyExcluded({ matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['kube-system'] }] }, 'kube-system'));
  assert.not.ok(provablyExcluded(notIn('digester-system'), 'kube-system'));
});

t('scopeCheck: passes the designed selector, fails a leak, fails a selector that misses the runners', () => {
  assert.is(scopeCheck(mwc({ namespaceSelector: notIn('kube-system', 'digester-system') }), cluster()).status, 'pass');
  const leak = scopeCheck(mwc({ namespaceSelector: notIn('digester-system') }), cluster());
  assert.is(leak.status, 'fail');
  assert.equal(leak.failing, ['h: kube-system']);
  const optIn = scopeCheck(mwc({ namespaceSelector: { matchLabels: { 'digest-resolution': 'enabled', [NAME]: 'x' } } }), cluster());
  assert.is(optIn.status, 'fail');
  assert.match(optIn.detail, /runner namespace arc-runners is not in scope/);
  assert.is(scopeCheck(mwc({ namespaceSelector: notIn('kube-system', 'digester-system') }), cluster({ excludeNamespaces: ['team-a'] })).status, 'fail');
});

t('rulesCheck: pods only passes, UPDATE warns, workloads and wildcards fail', () => {
  assert.is(rulesCheck(mwc({ rules: pods })).status, 'pass');
  assert.is(rulesCheck(mwc({ rules: [{ ...pods[0], operations: ['CREATE', 'UPDATE'] }] })).status, 'warn');
  const wl = rulesCheck(mwc({ rules: [...pods, { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['deployments'] }] }));
  assert.is(wl.status, 'fail');
  assert.equal(wl.failing, ['apps/deployments']);
  assert.is(rulesCheck(mwc({ rules: [{ ...pods[0], resources: ['*'] }] })).status, 'fail');
  assert.is(rulesCheck(mwc({ rules: [{ ...pods[0], operations: ['*'] }] })).status, 'fail');
  assert.is(rulesCheck(mwc({})).status, 'fail');
});

t('failurePolicyCheck: Ignore passes, Fail and the v1 default fail, a long timeout warns', () => {
  assert.is(failurePolicyCheck(mwc({ failurePolicy: 'Ignore', timeoutSeconds: 5 }), cluster()).status, 'pass');
  assert.is(failurePolicyCheck(mwc({ failurePolicy: 'Fail' }), cluster()).status, 'fail');
  assert.match(failurePolicyCheck(mwc({}), cluster()).detail, /Fail \(default\)/);
  assert.is(failurePolicyCheck(mwc({ failurePolicy: 'Ignore', timeoutSeconds: 15 }), cluster()).status, 'warn');
});

t.run();
