import { connect } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { hasDefaultRoute, readVersions } from './src/index.ts';
import { cliOk, closeHarness, openHarness, type Fixture } from './fixture.ts';

const t = suite<{ f?: Fixture }>('control plane');
t.before(async (ctx) => {
  ctx.f = await openHarness();
});
t.after(async (ctx) => closeHarness(ctx.f));

t('apiserver is ready and /version reports the pinned kubernetes version', async ({ f }) => {
  const ready = await f!.h.client.raw('GET', '/readyz');
  assert.is(ready.status, 200);
  assert.is(ready.body, 'ok');
  const v = JSON.parse((await f!.h.client.raw('GET', '/version')).body) as { gitVersion: string };
  assert.is(v.gitVersion, readVersions().kubernetes);
  assert.is(v.gitVersion, 'v1.36.3');
});

t('kubeconfig context is the profile name and kubectl uses the pinned build', async ({ f }) => {
  const h = f!.h;
  assert.is(h.context, h.profile);
  assert.is((await cliOk(h, ['kubectl', 'config', 'current-context'])).trim(), h.profile);
  const client = JSON.parse(await cliOk(h, ['kubectl', 'version', '-o', 'json'])) as { clientVersion: { gitVersion: string }; serverVersion: { gitVersion: string } };
  assert.is(client.clientVersion.gitVersion, 'v1.36.3');
  assert.is(client.serverVersion.gitVersion, 'v1.36.3');
});

t('nodes are Ready with the profile arch', async ({ f }) => {
  const h = f!.h;
  const nodes = await h.client.get<{ items: { metadata: { name: string; labels: Record<string, string> }; status: { conditions: { type: string; status: string }[] } }[] }>('/api/v1/nodes');
  assert.ok(nodes.items.length >= 1);
  for (const n of nodes.items) {
    assert.is(n.status.conditions.find((c) => c.type === 'Ready')?.status, 'True', `${n.metadata.name} Ready`);
    if (/^kwok-node-\d+$/.test(n.metadata.name)) assert.is(n.metadata.labels['kubernetes.io/arch'], h.arch);
  }
});

t('the network namespace has no way out: no default route, 10.0.0.1:443 is ENETUNREACH at once', async () => {
  assert.is(await hasDefaultRoute(), false);
  const t0 = Date.now();
  const code = await new Promise<string>((resolve) => {
    const s = connect({ host: '10.0.0.1', port: 443 });
    s.on('connect', () => {
      s.destroy();
      resolve('CONNECTED');
    });
    s.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? String(err)));
  });
  assert.is(code, 'ENETUNREACH');
  assert.ok(Date.now() - t0 < 1000, 'fails immediately');
});

t('stopApiserver / startApiserver', async ({ f }) => {
  const h = f!.h;
  await h.stopApiserver();
  const down = await h.client.raw('GET', '/readyz').then(
    () => 'reachable',
    (err: NodeJS.ErrnoException) => err.code,
  );
  assert.is(down, 'ECONNREFUSED');
  await h.startApiserver();
  assert.is((await h.client.raw('GET', '/readyz')).status, 200);
});

t.run();
