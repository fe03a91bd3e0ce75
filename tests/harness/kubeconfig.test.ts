import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { renderKubeconfig } from './src/kubeconfig.ts';

test('kubeconfig: context = profile, embedded credentials, loopback server', () => {
  const text = renderKubeconfig({ server: 'https://127.0.0.1:6443', context: 'parma', caPem: 'CA', certPem: 'CERT', keyPem: 'KEY' });
  const k = parse(text) as {
    'current-context': string;
    contexts: { name: string; context: { cluster: string; user: string } }[];
    clusters: { name: string; cluster: { server: string; 'certificate-authority-data': string } }[];
    users: { name: string; user: { 'client-certificate-data': string; 'client-key-data': string } }[];
  };
  assert.is(k['current-context'], 'parma');
  assert.is(k.contexts[0]!.name, 'parma');
  assert.is(k.contexts[0]!.context.cluster, k.clusters[0]!.name);
  assert.is(k.contexts[0]!.context.user, k.users[0]!.name);
  assert.is(k.clusters[0]!.cluster.server, 'https://127.0.0.1:6443');
  assert.is(Buffer.from(k.clusters[0]!.cluster['certificate-authority-data'], 'base64').toString(), 'CA');
  assert.is(Buffer.from(k.users[0]!.user['client-certificate-data'], 'base64').toString(), 'CERT');
  assert.is(Buffer.from(k.users[0]!.user['client-key-data'], 'base64').toString(), 'KEY');
});

test.run();
