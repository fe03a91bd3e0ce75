import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { KubeObject } from '@stateless-ci/core';
import { diffLines, flatten, normalize } from '@stateless-ci/digester';

const t = suite('digester diff');
const dep = (replicas: number, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'd', namespace: 'n', resourceVersion: String(replicas), uid: 'u', generation: replicas, managedFields: [{ manager: 'x' }], annotations: { 'deployment.kubernetes.io/revision': String(replicas) } },
  spec: { replicas, template: { spec: { containers: [{ name: 'manager', args: ['a'] }] } } },
  status: { replicas },
  ...extra,
});

t('normalize drops server-owned fields and the revision annotation', () => {
  assert.equal(normalize(dep(3)), { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n' }, spec: { replicas: 3, template: { spec: { containers: [{ name: 'manager', args: ['a'] }] } } } });
});

t('flatten keys list items by name', () => {
  assert.equal([...flatten({ c: [{ name: 'm', x: 1 }, 2] }).entries()], [['c[m].name', '"m"'], ['c[m].x', '1'], ['c[1]', '2']]);
});

t('diffLines shows only real changes', () => {
  assert.equal(diffLines(dep(3), dep(3)), []);
  assert.equal(diffLines(dep(3), dep(2)), ['- spec.replicas: 3', '+ spec.replicas: 2']);
});

t('Secret data values are never shown', () => {
  const s = (v: string): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { 'tls.key': v } });
  const lines = diffLines(s('c2VjcmV0LW9uZQ=='), s('c2VjcmV0LXR3bw=='));
  assert.equal(lines, ['- data.tls.key: (redacted)', '+ data.tls.key: (redacted)']);
});

t('long diffs are cut with a count', () => {
  const wide = (n: number): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, `v${n}`])) });
  const lines = diffLines(wide(30), wide(31), 10);
  assert.is(lines.length, 11);
  assert.match(lines[10]!, /^… \d+ more lines$/);
});

t.run();
