import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { apiserverArgs, controllerManagerArgs, etcdArgs, kwokArgs, schedulerArgs } from './src/args.ts';
import { layoutFor } from './src/layout.ts';
import { adminCertExtensions, kubernetesServiceIp } from './src/pki.ts';

const l = layoutFor('/w');
const flag = (args: string[], name: string): string | undefined => args.find((a) => a.startsWith(`--${name}=`))?.split('=').slice(1).join('=');

test('every component binds loopback only', () => {
  assert.is(flag(apiserverArgs(l), 'bind-address'), '127.0.0.1');
  assert.is(flag(controllerManagerArgs(l), 'bind-address'), '127.0.0.1');
  assert.is(flag(schedulerArgs(l), 'bind-address'), '127.0.0.1');
  assert.is(flag(kwokArgs(l, []), 'server-address'), '127.0.0.1:10247');
  for (const a of etcdArgs(l).filter((x) => x.includes('urls='))) assert.match(a, /http:\/\/127\.0\.0\.1:/);
});

test('apiserver: advertise address in 198.18.0.0/15, service CIDR, scale flags', () => {
  const a = apiserverArgs(l);
  assert.is(flag(a, 'advertise-address'), '198.18.0.2');
  assert.is(flag(a, 'service-cluster-ip-range'), '10.0.0.0/24');
  assert.is(flag(a, 'enable-priority-and-fairness'), 'false');
  assert.is(flag(a, 'max-requests-inflight'), '0');
  assert.is(flag(a, 'client-ca-file'), '/w/pki/ca.crt');
});

test('kcm and scheduler: raised client QPS, no leader election', () => {
  for (const a of [controllerManagerArgs(l), schedulerArgs(l)]) {
    assert.is(flag(a, 'kube-api-qps'), '5000');
    assert.is(flag(a, 'kube-api-burst'), '10000');
    assert.is(flag(a, 'leader-elect'), 'false');
    assert.is(flag(a, 'kubeconfig'), '/w/kubeconfig');
  }
});

test('kwok: manages all nodes, pod CIDR apart from the service CIDR, one --config per path', () => {
  const a = kwokArgs(l, ['/stages', '/logs.yaml']);
  assert.is(flag(a, 'manage-all-nodes'), 'true');
  assert.is(flag(a, 'cidr'), '10.244.0.0/16');
  assert.is(flag(a, 'node-lease-duration-seconds'), '200');
  assert.equal(a.filter((x) => x.startsWith('--config=')), ['--config=/stages', '--config=/logs.yaml']);
});

test('admin cert: serverAuth+clientAuth, SANs for loopback, advertise address and kubernetes Service', () => {
  const ext = adminCertExtensions('198.18.0.2');
  assert.match(ext, /extendedKeyUsage = serverAuth,clientAuth/);
  for (const san of ['IP:127.0.0.1', 'IP:198.18.0.2', 'IP:10.0.0.1', 'DNS:kubernetes.default.svc']) assert.ok(ext.includes(san), san);
  assert.is(kubernetesServiceIp('10.0.0.0/24'), '10.0.0.1');
});

test.run();
