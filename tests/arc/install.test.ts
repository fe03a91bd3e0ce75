// installSteps with recorded helm and kube calls: the controller release and the (Secret, scale
// set) chain start together; when one fails, the other is let finish before the error surfaces,
// so a rollback never races a helm process still running.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Redactor, memoryLogger, resolveChart, type ClusterContext, type KubeObject } from '@stateless-ci/core';
import { controllerValues, installSteps, scaleSetValues, type ArcDecision, type ArcRender } from '@stateless-ci/arc';
import { loadTestCluster } from './fixtures.ts';

const t = suite('arc install steps');

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function setup(opts: { controllerFails?: boolean; scaleSetFails?: boolean }) {
  const cluster = await loadTestCluster('theia-prod');
  const events: string[] = [];
  const helm = {
    upgradeInstall: async (o: { release: string }) => {
      const which = o.release === cluster.arc.controller.release ? 'controller' : 'scale set';
      events.push(`${which} start`);
      await tick(which === 'controller' ? 5 : 30);
      if ((which === 'controller' && opts.controllerFails) || (which === 'scale set' && opts.scaleSetFails)) {
        events.push(`${which} failed`);
        throw new Error(`${which} failed`);
      }
      events.push(`${which} done`);
    },
  };
  const kube = {
    apply: async (o: KubeObject) => {
      events.push(`apply ${o.kind}`);
      return o;
    },
  };
  const redactor = new Redactor();
  const ctx = { cluster, helm, kube, log: memoryLogger(redactor), redactor, env: {} } as unknown as ClusterContext;
  const target = {
    controllerChart: resolveChart(cluster.arc.controller.chart, {}),
    scaleSetChart: resolveChart(cluster.arc.runnerSet.chart, {}),
    controllerValues: controllerValues(cluster),
    scaleSetValues: scaleSetValues(cluster),
  };
  const render: ArcRender = { target, crds: [], controllerObjects: [], scaleSetObjects: [] };
  const decision: ArcDecision = { path: 'install', crds: [], controller: 'install', secret: 'absent', scaleSet: 'install', reasons: [], blockers: [] };
  const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: cluster.namespaces.runners } };
  return { ctx, render, decision, secret, events };
}

t('controller and scale set start together; the Secret comes before the scale set', async () => {
  const s = await setup({});
  const done = await installSteps(s.ctx, s.render, s.decision, s.secret);
  const at = (e: string) => s.events.indexOf(e);
  assert.ok(at('scale set start') < at('controller done'), s.events.join(', '));
  assert.ok(at('apply Secret') < at('scale set start'), s.events.join(', '));
  assert.equal(done, ['controller 0.14.2', 'credentials Secret', 'scale set arc-runner-set-stateless 0.14.2']);
});

t('both namespaces exist before either release installs (helm is not asked to create them)', async () => {
  const s = await setup({});
  await installSteps(s.ctx, s.render, s.decision, s.secret);
  const lastNamespace = s.events.lastIndexOf('apply Namespace');
  assert.equal(s.events.filter((e) => e === 'apply Namespace').length, 2);
  assert.ok(lastNamespace < s.events.indexOf('controller start') && lastNamespace < s.events.indexOf('scale set start'), s.events.join(', '));
});

t('a failed controller surfaces only after the scale set has finished', async () => {
  const s = await setup({ controllerFails: true });
  const err = await installSteps(s.ctx, s.render, s.decision, s.secret).then(() => undefined, (e: Error) => e);
  s.events.push('error surfaced');
  assert.is(err?.message, 'controller failed');
  assert.ok(s.events.indexOf('scale set done') < s.events.indexOf('error surfaced'), s.events.join(', '));
});

t('a failed scale set is the error when the controller succeeds', async () => {
  const s = await setup({ scaleSetFails: true });
  const err = await installSteps(s.ctx, s.render, s.decision, s.secret).then(() => undefined, (e: Error) => e);
  assert.is(err?.message, 'scale set failed');
  assert.ok(s.events.includes('controller done'));
});

t('unchanged releases run nothing', async () => {
  const s = await setup({});
  const done = await installSteps(s.ctx, s.render, { ...s.decision, controller: 'unchanged', scaleSet: 'unchanged', secret: 'same' }, s.secret);
  assert.equal(done, []);
  assert.equal(s.events, ['apply Namespace', 'apply Namespace']);
});

t.run();
