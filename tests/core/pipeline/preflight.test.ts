import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { archVerdict, loadClusterFile, requiredRights } from '@stateless-ci/core';

const node = (name: string, arch: string) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/arch': arch } } });

test('all nodes on the cluster arch', () => {
  assert.equal(archVerdict([node('a', 'arm64'), node('b', 'arm64')], 'arm64'), { ok: true, message: 'all 2 nodes are arm64', mismatched: [] });
});
test('some nodes differ: allowed, named', () => {
  const v = archVerdict([node('a', 'arm64'), node('b', 'amd64')], 'arm64');
  assert.ok(v.ok);
  assert.equal(v.mismatched, ['b (amd64)']);
});
test('no node on the arch: the wrong cluster', () => {
  const v = archVerdict([node('a', 'amd64')], 'arm64');
  assert.not.ok(v.ok);
  assert.match(v.message, /no node has architecture arm64/);
});
test('rights cover every namespace the cluster file names', async () => {
  const io = { readFile: async (p: string) => readFileSync(p, 'utf8'), listClusters: async () => [] };
  const c = await loadClusterFile('parma', path.join(import.meta.dirname, '../../../clusters'), io);
  const namespaces = new Set(requiredRights(c).map((r) => r.namespace).filter(Boolean));
  for (const ns of ['spegel', 'digester-system', 'arc-systems', 'arc-runners', 'stateless-ci']) assert.ok(namespaces.has(ns), ns);
});
test.run();
