import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadCluster } from '@stateless-ci/core';
import { freshnessRules, renderCron } from '../../../packages/verify/src/freshness/cron.ts';

const t = suite('cron');

t('least privilege: list pods, replicasets, jobs; secrets only with pull secrets; patch only with restart', () => {
  const verbs = (rules: Record<string, unknown>[]) => rules.map((r) => `${(r.resources as string[]).join('+')}:${(r.verbs as string[]).join('+')}`);
  assert.equal(verbs(freshnessRules({ restart: false, pullSecrets: false })), ['pods:list', 'replicasets:list', 'jobs:list']);
  assert.equal(verbs(freshnessRules({ restart: true, pullSecrets: true })), ['pods:list', 'replicasets:list', 'jobs:list', 'secrets:get', 'deployments+statefulsets+daemonsets:get+patch']);
});

t('the CronJob runs on the cluster file schedule, in-cluster, with the restart flags only when asked', async () => {
  const c = await loadCluster('parma');
  const objs = renderCron(c, { image: 'ghcr.io/x/stateless-ci:1', namespace: 'stateless-ci', restart: false, pullSecrets: false, dockerConfigSecret: 'regcred' });
  assert.equal(objs.map((o) => o.kind), ['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'CronJob']);
  const cj = objs[4] as unknown as { spec: { schedule: string; concurrencyPolicy: string; jobTemplate: { spec: { template: { spec: { serviceAccountName: string; containers: { args: string[] }[] } } } } } };
  assert.is(cj.spec.schedule, c.freshness.schedule);
  assert.is(cj.spec.concurrencyPolicy, 'Forbid');
  const args = cj.spec.jobTemplate.spec.template.spec.containers[0]!.args;
  assert.equal(args.slice(0, 6), ['--cluster', 'parma', '--context', 'inClusterContext', '--format', 'prometheus']);
  assert.ok(args.includes('--docker-config') && !args.includes('--restart'));
  const withRestart = renderCron(c, { image: 'i', namespace: 'ns', restart: true, pullSecrets: false });
  assert.ok(JSON.stringify(withRestart).includes('"--restart","--yes"'));
  assert.ok(JSON.stringify(withRestart[2]).includes('patch'));
});

t.run();
