import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Kube } from '@stateless-ci/core';
import type { Finding, ImageUse, Workload } from '../../../packages/verify/src/freshness/types.ts';
import { applyRestarts, planRestarts, restartGate, workloadPath, RESTARTED_AT } from '../../../packages/verify/src/freshness/restart.ts';
import { dg } from './_fixtures.ts';

const use = (w: Workload, pod: string, digest = dg('old')): ImageUse => ({ namespace: w.namespace, pod, container: 'main', init: false, image: 'r.io/a:1', refKey: 'r.io/a:1', runningDigest: digest, running: true, workload: w, pullSecrets: [] });
const stale = (w: Workload, pod: string): Finding => ({ use: use(w, pod), status: 'stale', overMaxAge: false });

const t = suite('restart');

t('stale Deployments, StatefulSets and DaemonSets are targets once each; current ones are not', () => {
  const web = { kind: 'Deployment', namespace: 'apps', name: 'web' };
  const findings: Finding[] = [
    stale(web, 'web-1'),
    stale(web, 'web-2'),
    stale({ kind: 'StatefulSet', namespace: 'apps', name: 'db' }, 'db-0'),
    stale({ kind: 'DaemonSet', namespace: 'infra', name: 'agent' }, 'agent-x'),
    { use: use({ kind: 'Deployment', namespace: 'apps', name: 'fresh' }, 'fresh-1'), status: 'current', overMaxAge: false },
  ];
  const plan = planRestarts(findings);
  assert.equal(plan.targets.map((x) => `${x.workload.kind}/${x.workload.name}:${x.pods}`), ['Deployment/web:2', 'StatefulSet/db:1', 'DaemonSet/agent:1']);
  assert.is(workloadPath(plan.targets[0]!.workload), '/apis/apps/v1/namespaces/apps/deployments/web');
});

t('kube-system, bare pods and CronJobs are skipped with a reason', () => {
  const plan = planRestarts([
    stale({ kind: 'DaemonSet', namespace: 'kube-system', name: 'kube-proxy' }, 'kp'),
    stale({ kind: 'Pod', namespace: 'apps', name: 'solo' }, 'solo'),
    stale({ kind: 'CronJob', namespace: 'apps', name: 'nightly' }, 'n-1'),
  ]);
  assert.is(plan.targets.length, 0);
  assert.equal(plan.skipped.map((s) => s.reason), ['kube-system is never restarted', 'a bare pod has no controller to roll; delete and recreate it', 'CronJob is not rolled out by --restart']);
});

t('the gate: --yes goes, a terminal asks, anything else is refused', () => {
  assert.is(restartGate({ yes: true, isTTY: false }), 'go');
  assert.is(restartGate({ yes: false, isTTY: true }), 'ask');
  assert.is(restartGate({ yes: false, isTTY: false }), 'refuse');
});

t('apply patches the template annotation, but skips a template that pins the stale digest', async () => {
  const OLD = dg('old');
  const templates: Record<string, string> = { '/apis/apps/v1/namespaces/apps/deployments/web': 'r.io/a:1', '/apis/apps/v1/namespaces/apps/deployments/pinned': `r.io/a:1@${OLD}` };
  const patches: { path: string; body: unknown; headers: Record<string, string> }[] = [];
  const kube = {
    raw: async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      if (method === 'GET') return { status: 200, body: JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'main', image: templates[path] }] } } } }), headers: {} };
      patches.push({ path, body, headers });
      return { status: 200, body: '{}', headers: {} };
    },
  } as unknown as Kube;
  const plan = planRestarts([stale({ kind: 'Deployment', namespace: 'apps', name: 'web' }, 'w1'), stale({ kind: 'Deployment', namespace: 'apps', name: 'pinned' }, 'p1')]);
  const out = await applyRestarts(kube, plan, new Date('2026-03-10T00:00:00Z'));
  assert.equal(out.map((o) => o.result), ['restarted', 'skipped']);
  assert.match(out[1]!.detail, /pod template pins/);
  assert.equal(patches, [{ path: '/apis/apps/v1/namespaces/apps/deployments/web', body: { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: '2026-03-10T00:00:00.000Z' } } } } }, headers: { 'Content-Type': 'application/strategic-merge-patch+json' } }]);
});

t.run();
