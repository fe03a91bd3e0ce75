import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cliOk, closeHarness, freshNamespace, openHarness, type Fixture } from './fixture.ts';

const t = suite<{ f?: Fixture; tmp?: string }>('helm against the harness');
t.before(async (ctx) => {
  ctx.f = await openHarness();
  ctx.tmp = await mkdtemp(join(tmpdir(), 'harness-helm-'));
});
t.after(async (ctx) => {
  if (ctx.tmp) await rm(ctx.tmp, { recursive: true, force: true });
  await closeHarness(ctx.f);
});

interface Revision {
  revision: number;
  status: string;
}

t('helm install, upgrade and rollback a chart from the local OCI registry', async ({ f, tmp }) => {
  const h = f!.h;
  const ns = await freshNamespace(h, 'helm');
  const chart = `harness-demo-${process.pid}`;
  await cliOk(h, ['helm', 'create', chart], tmp);
  // kwok has no kube-proxy: drop the chart's Service-probing test hook, keep everything else stock.
  await rm(join(tmp!, chart, 'templates', 'tests'), { recursive: true, force: true });
  for (const version of ['0.1.0', '0.2.0']) {
    await cliOk(h, ['helm', 'package', chart, '--version', version, '--destination', tmp!], tmp);
    await cliOk(h, ['helm', 'push', join(tmp!, `${chart}-${version}.tgz`), `oci://${h.registry}/charts`, '--plain-http']);
  }
  const ref = `oci://${h.registry}/charts/${chart}`;
  const common = ['--namespace', ns, '--plain-http', '--wait', '--timeout', '90s'];
  await cliOk(h, ['helm', 'install', 'demo', ref, '--version', '0.1.0', ...common]);
  await cliOk(h, ['helm', 'upgrade', 'demo', ref, '--version', '0.2.0', '--set', 'replicaCount=2', ...common]);
  const dep = async () =>
    h.client.get<{ spec: { replicas: number }; metadata: { labels: Record<string, string> } }>(`/apis/apps/v1/namespaces/${ns}/deployments/demo-${chart}`);
  assert.is((await dep()).spec.replicas, 2);
  assert.is((await dep()).metadata.labels['helm.sh/chart'], `${chart}-0.2.0`);

  await cliOk(h, ['helm', 'rollback', 'demo', '1', '--namespace', ns, '--wait', '--timeout', '90s']);
  assert.is((await dep()).spec.replicas, 1);
  assert.is((await dep()).metadata.labels['helm.sh/chart'], `${chart}-0.1.0`);
  const history = JSON.parse(await cliOk(h, ['helm', 'history', 'demo', '--namespace', ns, '-o', 'json'])) as Revision[];
  assert.equal(history.map((r) => r.revision), [1, 2, 3]);
  assert.is(history.at(-1)?.status, 'deployed');
  await cliOk(h, ['helm', 'uninstall', 'demo', '--namespace', ns, '--wait']);
});

t.run();
