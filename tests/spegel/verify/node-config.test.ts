import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spegelNames } from '../../../packages/spegel/src/names.ts';
import { nodeConfigVerdict, probeJob, probeJobName, probeScript } from '../../../packages/spegel/src/verify/node-config.ts';

const t = suite('node-config probe');
const n = spegelNames({ namespace: 'spegel', release: 'spegel' });

t('the probe Job is pinned to its node, mounts the host read-only, tolerates everything and cleans itself up', () => {
  const j = probeJob(n, 'worker-1', 'abc123', '/etc/containerd/certs.d', 'busybox:1.37') as unknown as {
    metadata: { name: string; namespace: string; labels: Record<string, string> };
    spec: { ttlSecondsAfterFinished: number; backoffLimit: number; template: { spec: { nodeName: string; tolerations: unknown[]; containers: { image: string; command: string[]; volumeMounts: { readOnly: boolean }[] }[]; volumes: { hostPath: { path: string } }[] } } };
  };
  assert.is(j.metadata.namespace, 'spegel');
  assert.ok(j.metadata.name.length <= 63);
  assert.is(j.metadata.name, probeJobName('spegel', 'worker-1', 'abc123'));
  assert.is(j.metadata.labels['stateless-ci.dev/spegel-node-probe'], 'spegel');
  assert.is(j.spec.template.spec.nodeName, 'worker-1');
  assert.equal(j.spec.template.spec.tolerations, [{ operator: 'Exists' }]);
  assert.is(j.spec.template.spec.containers[0]!.volumeMounts[0]!.readOnly, true);
  assert.is(j.spec.template.spec.volumes[0]!.hostPath.path, '/');
  assert.is(j.spec.backoffLimit, 0);
  assert.ok(j.spec.ttlSecondsAfterFinished > 0);
  assert.match(probeScript('/etc/containerd/certs.d'), /containerd config dump[\s\S]*\/host\/etc\/containerd\/config.toml[\s\S]*'\/host\/etc\/containerd\/certs.d'\/\*\/hosts.toml/);
});

t('the verdict fails on any failing node, warns on warnings only, passes when clean', () => {
  const fail = nodeConfigVerdict(new Map([['a', []], ['b', [{ level: 'fail' as const, message: 'discard_unpacked_layers = true' }]]]));
  assert.is(fail.status, 'fail');
  assert.equal(fail.failing, ['b']);
  assert.match(fail.detail, /on 1 of 2 nodes: b: discard_unpacked_layers = true/);
  assert.is(nodeConfigVerdict(new Map([['a', [{ level: 'warn' as const, message: 'use_local_image_pull' }]]])).status, 'warn');
  assert.is(nodeConfigVerdict(new Map([['a', []]])).status, 'pass');
});

t.run();
