import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { digesterExcludedNamespaces, loadClusterFile, parseClusterConfig, parseYamlDocument } from '@stateless-ci/core';

const clusters = path.join(import.meta.dirname, '../../../clusters');
const io = { readFile: async (p: string) => readFileSync(p, 'utf8'), listClusters: async () => ['theia-prod', 'parma'] };

test('theia-prod: the design values', async () => {
  const c = await loadClusterFile('theia-prod', clusters, io);
  assert.is(c.kubeContext, 'theia-prod');
  assert.is(c.arch, 'amd64');
  assert.equal(c.namespaces, { controller: 'arc-systems', runners: 'arc-runners' });
  assert.is(c.arc.runnerSet.name, 'arc-runner-set-stateless');
  assert.is(c.arc.containerMode, 'kubernetes-novolume');
  assert.is(c.spegel.containerdSock, '/run/containerd/containerd.sock');
  assert.is(c.spegel.mirrorRegistries, true);
  assert.is(c.spegel.allNodes, true);
  assert.is(c.spegel.chart.version, '0.7.4');
  assert.is(c.arc.controller.chart.version, '0.14.2');
  assert.is(c.digester.manifests.version, 'v0.1.16');
  assert.ok(c.spegel.chart.source.startsWith('oci://ghcr.io/'), 'upstream OCI location by default');
});

test('parma: arm64 and its own runner set', async () => {
  const c = await loadClusterFile('parma', clusters, io);
  assert.is(c.kubeContext, 'parma');
  assert.is(c.arch, 'arm64');
  assert.is(c.arc.runnerSet.name, 'arc-runner-set-arm64');
});

test('kube-system is always excluded from the digester, whatever the file says', async () => {
  const c = await loadClusterFile('theia-prod', clusters, io);
  const excluded = digesterExcludedNamespaces({ ...c, digester: { ...c.digester, excludeNamespaces: [] } });
  assert.ok(excluded.includes('kube-system'));
  assert.ok(excluded.includes('digester-system'));
});

test('defaults are applied in one place', () => {
  const text = readFileSync(path.join(clusters, 'theia-prod.yaml'), 'utf8').replace(/\n  timeoutSeconds: 5\n/, '\n').replace(/\nfreshness:[\s\S]*$/, '\n');
  const { value } = parseYamlDocument(text, 'x.yaml');
  const r = parseClusterConfig(value, 'x.yaml');
  assert.equal(r.issues, []);
  assert.is(r.config!.digester.timeoutSeconds, 5);
  assert.is(r.config!.freshness.maxAge, '24h');
  assert.is(r.config!.spegel.resolveTags, false);
});

test('cluster files never hold secrets, only where they come from', async () => {
  for (const name of ['theia-prod', 'parma']) {
    const c = await loadClusterFile(name, clusters, io);
    const creds = c.arc.credentials;
    assert.is(creds.kind, 'app');
    if (creds.kind === 'app') assert.ok('env' in creds.privateKey || 'file' in creds.privateKey);
  }
});

test.run();
