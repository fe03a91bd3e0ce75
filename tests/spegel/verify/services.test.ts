import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spegelNames } from '../../../packages/spegel/src/names.ts';
import { servicesCheck } from '../../../packages/spegel/src/verify/services.ts';

const t = suite('spegel services verdict');
const n = spegelNames({ namespace: 'spegel', release: 'spegel' });
const good = [
  { metadata: { name: 'spegel-registry' }, spec: { type: 'NodePort', ports: [{ port: 5000, nodePort: 30021 }] } },
  { metadata: { name: 'spegel-bootstrap' }, spec: { clusterIP: 'None' } },
  { metadata: { name: 'spegel' }, spec: { ports: [{ name: 'metrics', port: 9090 }] } },
];
const slice = (k: number) => [{ metadata: { name: 's' }, endpoints: Array.from({ length: k }, (_, i) => ({ addresses: [`10.0.0.${i}`] })) }];

t('all three Services right and every pod in the bootstrap slice: pass', () => {
  const c = servicesCheck(n, good, slice(3), 3);
  assert.is(c.status, 'pass');
  assert.equal(c.metrics, { nodePort: 30021, bootstrapPeers: 3 });
});

t('missing or wrong Services fail; a short bootstrap list warns', () => {
  const c = servicesCheck(n, [good[1]!, { metadata: { name: 'spegel-registry' }, spec: { type: 'ClusterIP', ports: [{ port: 5000 }] } }], [], 3);
  assert.is(c.status, 'fail');
  assert.match(c.detail, /spegel-registry is not a NodePort Service.*Service spegel has no metrics port/);
  assert.is(servicesCheck(n, good, slice(1), 3).status, 'warn');
});

t.run();
