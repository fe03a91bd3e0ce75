import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { renderClusterLogs, renderPodLog, podLogLines } from './src/kwok-config.ts';
import { nodeManifest } from './src/nodes.ts';
import { renderRegistryConfig } from './src/registry.ts';
import { parseEnvFile, readVersions } from './src/versions.ts';
import { sha256 } from '@stateless-ci/core';
import { artifactManifest } from './src/oci.ts';

test('ClusterLogs selects every pod and points at the log file', () => {
  const doc = parse(renderClusterLogs('/w/kwok/pod.log')) as { kind: string; spec: { selector: object; logs: { logsFile: string; follow: boolean }[] } };
  assert.is(doc.kind, 'ClusterLogs');
  assert.equal(doc.spec.selector, {});
  assert.is(doc.spec.logs[0]!.logsFile, '/w/kwok/pod.log');
  assert.is(doc.spec.logs[0]!.follow, false);
});

test('pod log is CRI formatted', () => {
  for (const line of renderPodLog().trim().split('\n')) assert.match(line, /^\S+Z (stdout|stderr) F /);
  assert.is(renderPodLog().trim().split('\n').length, podLogLines.length);
});

test('node manifest: arch label, taints, harness label', () => {
  const n = nodeManifest('n1', 'arm64', { taints: [{ key: 'k', effect: 'NoSchedule' }], labels: { pool: 'x' } }) as {
    metadata: { labels: Record<string, string>; annotations: Record<string, string> };
    spec: { taints?: unknown[] };
  };
  assert.is(n.metadata.labels['kubernetes.io/arch'], 'arm64');
  assert.is(n.metadata.labels.pool, 'x');
  assert.is(n.metadata.annotations['kwok.x-k8s.io/node'], 'fake');
  assert.equal(n.spec.taints, [{ key: 'k', effect: 'NoSchedule' }]);
  assert.equal((nodeManifest('n2', 'amd64') as { spec: object }).spec, {});
});

test('registry config listens on loopback only', () => {
  const c = parse(renderRegistryConfig('/w/registry/data', 5000)) as { http: { addr: string }; storage: { filesystem: { rootdirectory: string } } };
  assert.is(c.http.addr, '127.0.0.1:5000');
  assert.is(c.storage.filesystem.rootdirectory, '/w/registry/data');
});

test('versions.env parses and pins k8s v1.36.3', () => {
  assert.equal(parseEnvFile('# c\nA=1\nB="x"\n'), { A: '1', B: 'x' });
  assert.is(readVersions().kubernetes, 'v1.36.3');
});

test('OCI artifact manifest: one titled layer, digests match', () => {
  const layer = new TextEncoder().encode('a: 1\n');
  const m = artifactManifest({
    artifactType: 'application/x.t',
    config: { mediaType: 'application/x.t', data: new TextEncoder().encode('{}') },
    layer: { mediaType: 'application/x.l+yaml', data: layer, title: 'f.yaml' },
  }) as { layers: { digest: string; size: number; annotations: Record<string, string> }[]; artifactType: string };
  assert.is(m.artifactType, 'application/x.t');
  assert.is(m.layers[0]!.digest, sha256(Buffer.from(layer)));
  assert.is(m.layers[0]!.size, layer.byteLength);
  assert.is(m.layers[0]!.annotations['org.opencontainers.image.title'], 'f.yaml');
});

test.run();
