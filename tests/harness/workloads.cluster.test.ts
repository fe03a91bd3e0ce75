import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { podLogLines, watchUntil, type KubeObject } from './src/index.ts';
import { closeHarness, freshNamespace, openHarness, type Fixture } from './fixture.ts';

interface Deployment extends KubeObject {
  status?: { conditions?: { type: string; status: string }[]; availableReplicas?: number };
}
interface DaemonSet extends KubeObject {
  status?: { desiredNumberScheduled?: number; numberReady?: number; observedGeneration?: number };
}
interface Pod extends KubeObject {
  status?: { phase?: string };
}

const t = suite<{ f?: Fixture }>('workloads on kwok nodes');
t.before(async (ctx) => {
  ctx.f = await openHarness();
});
t.after(async (ctx) => closeHarness(ctx.f));

const podTemplate = (app: string) => ({
  metadata: { labels: { app } },
  spec: { containers: [{ name: 'main', image: 'registry.invalid/fake:1' }] },
});

t('a Deployment becomes Available', async ({ f }) => {
  const h = f!.h;
  const ns = await freshNamespace(h, 'deploy');
  await h.client.create(`/apis/apps/v1/namespaces/${ns}/deployments`, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: podTemplate('web') },
  });
  const m = await watchUntil<Deployment>(
    h.client,
    `/apis/apps/v1/namespaces/${ns}/deployments`,
    (d) => d.get('web')?.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True') === true && d.get('web')?.status?.availableReplicas === 3,
    'deployment web Available',
    60_000,
  );
  assert.is(m.get('web')?.status?.availableReplicas, 3);
});

async function daemonSetReadyOnAllNodes(f: Fixture, nodes: number): Promise<void> {
  const h = f.h;
  await h.setNodeCount(nodes);
  const ns = await freshNamespace(h, `ds${nodes}`);
  await h.client.create(`/apis/apps/v1/namespaces/${ns}/daemonsets`, {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent' },
    spec: { selector: { matchLabels: { app: 'agent' } }, template: podTemplate('agent') },
  });
  const total = (await h.client.get<{ items: unknown[] }>('/api/v1/nodes')).items.length;
  const m = await watchUntil<DaemonSet>(
    h.client,
    `/apis/apps/v1/namespaces/${ns}/daemonsets`,
    (d) => d.get('agent')?.status?.desiredNumberScheduled === total && d.get('agent')?.status?.numberReady === total,
    `daemonset Ready on ${total} nodes`,
    120_000 + nodes * 200,
  );
  assert.is(m.get('agent')?.status?.numberReady, total);
  await h.client.remove(`/api/v1/namespaces/${ns}`);
}

t('a DaemonSet is Ready on every node at 3 nodes', async ({ f }) => daemonSetReadyOnAllNodes(f!, 3));
t('a DaemonSet is Ready on every node at 300 nodes', async ({ f }) => {
  await daemonSetReadyOnAllNodes(f!, 300);
  await f!.h.setNodeCount(3);
});

t('pod logs can be read through the API (kwok ClusterLogs)', async ({ f }) => {
  const h = f!.h;
  const ns = await freshNamespace(h, 'logs');
  await h.client.create(`/api/v1/namespaces/${ns}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'talker' }, spec: podTemplate('talker').spec });
  await watchUntil<Pod>(h.client, `/api/v1/namespaces/${ns}/pods`, (p) => p.get('talker')?.status?.phase === 'Running', 'pod talker Running', 30_000);
  const r = await h.client.raw('GET', `/api/v1/namespaces/${ns}/pods/talker/log?container=main`);
  assert.is(r.status, 200, r.body);
  for (const line of podLogLines) assert.ok(r.body.includes(line.split(' F ')[1]!), `log contains: ${line}`);
});

t.run();
