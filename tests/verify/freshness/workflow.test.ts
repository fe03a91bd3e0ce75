import { readFile } from 'node:fs/promises';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { loadCluster, REPO_ROOT } from '@stateless-ci/core';
import { renderWorkflow, renderWorkflowRbac, workflowFileName } from '../../../packages/verify/src/freshness/workflow.ts';

const t = suite('workflow');

for (const name of ['theia-prod', 'parma']) {
  t(`the shipped workflow for ${name} is the rendered one, on its own runner set and schedule`, async () => {
    const c = await loadCluster(name);
    const shipped = await readFile(`${REPO_ROOT}/packages/verify/src/freshness/workflow/${workflowFileName(c)}`, 'utf8');
    assert.fixture(shipped, renderWorkflow(c));
    const wf = parse(shipped) as { on: { schedule: { cron: string }[] }; jobs: { freshness: { 'runs-on': string; steps: { run?: string }[] } } };
    assert.is(wf.jobs.freshness['runs-on'], c.arc.runnerSet.name);
    assert.is(wf.on.schedule[0]!.cron, c.freshness.schedule);
    assert.ok(wf.jobs.freshness.steps.some((s) => s.run?.includes(`pnpm freshness:${c.arch === 'arm64' ? 'arm' : 'amd'} --context inClusterContext`)));
  });
}

t('the workflow RBAC binds the runner kube-mode ServiceAccount to read-only rules', async () => {
  const c = await loadCluster('theia-prod');
  const [role, binding] = renderWorkflowRbac(c) as unknown as [{ rules: { verbs: string[] }[] }, { subjects: { name: string; namespace: string }[] }];
  assert.equal(binding.subjects[0], { kind: 'ServiceAccount', name: 'arc-runner-set-stateless-gha-rs-kube-mode', namespace: 'arc-runners' });
  assert.ok(role.rules.every((r) => r.verbs.every((v) => v === 'list' || v === 'get')));
});

t.run();
