// Which requests share a keep-alive agent: the same TLS identity does, another client certificate
// or server does not, and plain-HTTP or proxied clusters keep client-node's own agents.
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { shareAgents } from '@stateless-ci/core';

const t = suite('shared keep-alive agent');

function kubeconfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      { name: 'a', server: 'https://127.0.0.1:6443', caData: Buffer.from('ca-a').toString('base64') },
      { name: 'b', server: 'https://127.0.0.2:6443', caData: Buffer.from('ca-a').toString('base64') },
      { name: 'plain', server: 'http://127.0.0.1:8080', skipTLSVerify: true },
    ],
    users: [
      { name: 'u1', certData: Buffer.from('cert-1').toString('base64'), keyData: Buffer.from('key-1').toString('base64') },
      { name: 'u2', certData: Buffer.from('cert-2').toString('base64'), keyData: Buffer.from('key-2').toString('base64') },
    ],
    contexts: [
      { name: 'a-u1', cluster: 'a', user: 'u1' },
      { name: 'a-u2', cluster: 'a', user: 'u2' },
      { name: 'b-u1', cluster: 'b', user: 'u1' },
      { name: 'plain', cluster: 'plain', user: 'u1' },
    ],
    currentContext: 'a-u1',
  });
  return kc;
}

async function agentFor(kc: KubeConfig, context: string): Promise<unknown> {
  kc.setCurrentContext(context);
  const opts: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  return opts.agent;
}

t('the same identity gets the same keep-alive agent; another cert or server another one', async () => {
  const kc = kubeconfig();
  const shared = shareAgents(kc);
  const a1 = await agentFor(kc, 'a-u1');
  const a1again = await agentFor(kc, 'a-u1');
  assert.instance(a1, https.Agent);
  assert.ok(a1 === a1again, 'one agent for one identity');
  assert.ok((a1 as https.Agent & { keepAlive?: boolean }).keepAlive, 'keep-alive');
  const a2 = await agentFor(kc, 'a-u2');
  const b1 = await agentFor(kc, 'b-u1');
  assert.ok(a2 !== a1, 'another client certificate, another agent');
  assert.ok(b1 !== a1, 'another server, another agent');
  assert.is(shared.created(), 3);
  shared.destroy();
  assert.is(shared.created(), 0);
});

t('without sharing, client-node makes an agent per request (what this replaces)', async () => {
  const kc = kubeconfig();
  assert.ok((await agentFor(kc, 'a-u1')) !== (await agentFor(kc, 'a-u1')));
});

t('plain-HTTP clusters keep their own agents', async () => {
  const kc = kubeconfig();
  const shared = shareAgents(kc);
  const p1 = await agentFor(kc, 'plain');
  const p2 = await agentFor(kc, 'plain');
  assert.ok(p1 !== p2);
  assert.not.instance(p1, https.Agent);
  assert.is(shared.created(), 0);
});

t.run();
