/**
 * `pnpm freshness:amd` end to end on the harness, as a child process: the table, the Prometheus
 * file for a textfile collector, the exit code, and `--restart` rolling the stale Deployment and
 * nothing else (not the current Deployment, not a stale bare pod); without --yes off a terminal it
 * refuses before touching anything.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO_ROOT } from '@stateless-ci/core';
import { watchUntil } from '../../harness/src/index.ts';
import { closeHarness, freshNamespace, openHarness, type Fixture } from '../../harness/fixture.ts';
import { pushMultiArch, REGISTRY } from './_registry.ts';

interface Ctx {
  f?: Fixture;
  ns?: string;
  tmp?: string;
}
interface Obj {
  metadata: { name: string; uid?: string; annotations?: Record<string, string>; ownerReferences?: { kind: string }[] };
  spec?: { template?: { metadata?: { annotations?: Record<string, string> } } };
  status?: { phase?: string };
}

const t = suite<Ctx>('freshness command on the harness');
const REPO = `freshness-cmd-${process.pid}`;
const iso = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString();

t.before(async (ctx) => {
  ctx.f = await openHarness();
  ctx.ns = await freshNamespace(ctx.f.h, 'freshcmd');
  ctx.tmp = await mkdtemp(path.join(tmpdir(), 'freshness-cmd-'));
});
t.after(async (ctx) => {
  if (ctx.f && ctx.ns) await ctx.f.h.client.remove(`/api/v1/namespaces/${ctx.ns}`);
  if (ctx.tmp) await rm(ctx.tmp, { recursive: true, force: true });
  await closeHarness(ctx.f);
});

function freshness(ctx: Ctx, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, ...ctx.f!.h.env(), DOCKER_CONFIG: ctx.tmp!, NO_COLOR: '1' };
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'scripts/freshness.mts', '--cluster', 'theia-prod', '--kubeconfig', ctx.f!.h.kubeconfig, ...args], { cwd: REPO_ROOT, env, maxBuffer: 32 << 20 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const deployment = (name: string, image: string, replicas: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image }] } } },
});

/** Plays the kubelet: reports the repo digest the container runs, as containerd does in imageID. */
async function reportImageID(ctx: Ctx, pod: string, image: string, repo: string, digest: string): Promise<void> {
  const status = { containerStatuses: [{ name: 'main', image, imageID: `${REGISTRY}/${repo}@${digest}`, ready: true, restartCount: 0, started: true, state: { running: { startedAt: new Date().toISOString() } } }] };
  const r = await ctx.f!.h.client.raw('PATCH', `/api/v1/namespaces/${ctx.ns}/pods/${pod}/status`, { status }, 'application/merge-patch+json');
  assert.is(r.status, 200, r.body);
}

t('without --yes off a terminal, --restart is refused before anything happens (exit 3)', async (ctx) => {
  const r = await freshness(ctx, ['--restart']);
  assert.is(r.code, 3, r.stderr);
  assert.match(r.stderr, /needs --yes/);
});

t('--restart --yes rolls the stale Deployment and nothing else; the Prometheus file and exit code 1 report it', async (ctx) => {
  const h = ctx.f!.h;
  const web = await pushMultiArch(`${REPO}/web`, 'v1', iso(3));
  const steadyV1 = await pushMultiArch(`${REPO}/steady`, 'v1', iso(3));
  const webImage = `${REGISTRY}/${REPO}/web:v1`;
  await h.client.create(`/apis/apps/v1/namespaces/${ctx.ns}/deployments`, deployment('web', webImage, 2));
  await h.client.create(`/apis/apps/v1/namespaces/${ctx.ns}/deployments`, deployment('steady', `${REGISTRY}/${REPO}/steady:v1`, 1));
  await h.client.create(`/api/v1/namespaces/${ctx.ns}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'solo' }, spec: { containers: [{ name: 'main', image: `${webImage}@${web.index}` }] } });
  const pods = await watchUntil<Obj>(h.client, `/api/v1/namespaces/${ctx.ns}/pods`, (m) => m.size === 4 && [...m.values()].every((p) => p.status?.phase === 'Running'), '4 pods Running', 60_000);
  for (const p of pods.values()) {
    if (p.metadata.name.startsWith('web-')) await reportImageID(ctx, p.metadata.name, webImage, `${REPO}/web`, web.index);
    if (p.metadata.name.startsWith('steady-')) await reportImageID(ctx, p.metadata.name, `${REGISTRY}/${REPO}/steady:v1`, `${REPO}/steady`, steadyV1.index);
  }
  const soloUid = pods.get('solo')!.metadata.uid;
  await pushMultiArch(`${REPO}/web`, 'v1', iso(2)); // the tag moves

  const all = await h.client.get<{ items: Obj[] }>('/api/v1/namespaces');
  const others = all.items.map((n) => n.metadata.name).filter((n) => n !== ctx.ns && n !== 'kube-system');
  const prom = path.join(ctx.tmp!, 'freshness.prom');
  const r = await freshness(ctx, ['--restart', '--yes', '--exclude', others.join(','), '--format', 'prometheus', '--output', prom]);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stdout, /STALE!\s+freshcmd-\S+\s+Deployment\/web\s+main\s+2\s/);
  assert.match(r.stdout, /STALE!\s+freshcmd-\S+\s+Pod\/solo\s+main\s+1\s/);
  assert.not.match(r.stdout, /Deployment\/steady/);
  assert.match(r.stdout, /4 pods, 4 containers, 2 unique tags: 1 current, 3 stale/);
  assert.match(r.stderr, new RegExp(`restarted Deployment/${ctx.ns}/web: 2 stale pod`));
  assert.match(r.stderr, new RegExp(`not restarting Pod/${ctx.ns}/solo: a bare pod`));
  const text = await readFile(prom, 'utf8');
  assert.match(text, new RegExp(`stateless_ci_freshness_stale_pods\\{cluster="theia-prod",namespace="${ctx.ns}",workload_kind="Deployment",workload="web",container="main",image="${REGISTRY}/${REPO}/web:v1"\\} 2`));

  const webAfter = await h.client.get<Obj>(`/apis/apps/v1/namespaces/${ctx.ns}/deployments/web`);
  assert.ok(webAfter.spec?.template?.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'], 'web restarted');
  const steady = await h.client.get<Obj>(`/apis/apps/v1/namespaces/${ctx.ns}/deployments/steady`);
  assert.is(steady.spec?.template?.metadata?.annotations, undefined);
  const solo = await h.client.get<Obj>(`/api/v1/namespaces/${ctx.ns}/pods/solo`);
  assert.is(solo.metadata.uid, soloUid);
});

t.run();
