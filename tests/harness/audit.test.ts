import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isClientRequest, isClientWrite, type AuditEvent } from './src/index.ts';

const ev = (verb: string, ua: string, uri = '/api/v1/namespaces/x/configmaps/y', resource = 'configmaps'): AuditEvent => ({ verb, userAgent: ua, requestURI: uri, objectRef: { resource }, requestReceivedTimestamp: '' });

test('writes by the tool count; reads, dry runs, reviews and the cluster\'s own components do not', () => {
  assert.ok(isClientWrite(ev('patch', 'Helm/4.3.2')));
  assert.ok(isClientWrite(ev('create', 'stateless-ci')));
  assert.not.ok(isClientWrite(ev('get', 'stateless-ci')));
  assert.not.ok(isClientWrite(ev('patch', 'node-fetch', '/apis/apps/v1/namespaces/x/deployments/y?dryRun=All&fieldManager=z')));
  assert.not.ok(isClientWrite(ev('create', 'stateless-ci', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', 'selfsubjectaccessreviews')));
  assert.not.ok(isClientWrite(ev('update', 'kwok/v0.8.0')));
  assert.not.ok(isClientWrite(ev('update', 'k8s-digester/v0.0.0 (linux/amd64) kubernetes/$Format')));
  assert.ok(isClientRequest(ev('get', 'kubectl/v1.36.3')));
  assert.not.ok(isClientRequest(ev('get', 'kube-controller-manager/v1.36.3')));
});
test.run();
