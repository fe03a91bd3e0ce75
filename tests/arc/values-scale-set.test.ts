import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { controllerValues, scaleSetValues, arcNames, controllerFullname } from '@stateless-ci/arc';
import { loadTestCluster } from './fixtures.ts';

const t = suite('arc values');

t('scale set: kubernetes-novolume, no PVC, pinned to the cluster arch, credentials by Secret name only', async () => {
  const c = await loadTestCluster('theia-prod');
  const v = scaleSetValues(c);
  assert.is(v.runnerScaleSetName, 'arc-runner-set-stateless');
  assert.is(v.githubConfigSecret, 'arc-runner-set-stateless-github-config');
  assert.type(v.githubConfigSecret, 'string');
  assert.equal(v.containerMode, { type: 'kubernetes-novolume' });
  assert.equal(v.template.spec.volumes, []);
  assert.equal(v.template.spec.containers[0].volumeMounts, []);
  assert.is(v.template.spec.nodeSelector['kubernetes.io/arch'], 'amd64');
  assert.is(v.template.spec.containers[0].name, 'runner');
  assert.equal(v.template.spec.containers[0].resources, { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '4Gi' } });
  assert.is(v.minRunners, 0);
  assert.is(v.maxRunners, 10);
  assert.equal(v.controllerServiceAccount, { namespace: 'arc-systems', name: 'arc-gha-rs-controller' });
  assert.not.match(JSON.stringify(v), /github_app|github_token|PRIVATE KEY/);
});

t('parma pins runners to arm64 under its own name', async () => {
  const v = scaleSetValues(await loadTestCluster('parma'));
  assert.is(v.runnerScaleSetName, 'arc-runner-set-arm64');
  assert.is(v.template.spec.nodeSelector['kubernetes.io/arch'], 'arm64');
});

t('min, max, resources, image and runner group come from the cluster file', async () => {
  const c0 = await loadTestCluster('theia-prod');
  const c = { ...c0, arc: { ...c0.arc, githubConfigUrl: 'https://github.com/org/', runnerSet: { ...c0.arc.runnerSet, minRunners: 2, maxRunners: 7, runnerGroup: 'ci', runnerImage: 'ghcr.io/x/runner:1.2', resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '3', memory: '6Gi' } } } } };
  const v = scaleSetValues(c);
  assert.is(v.minRunners, 2);
  assert.is(v.maxRunners, 7);
  assert.is(v.runnerGroup, 'ci');
  assert.is(v.githubConfigUrl, 'https://github.com/org');
  assert.is(v.template.spec.containers[0].image, 'ghcr.io/x/runner:1.2');
  assert.is(v.template.spec.containers[0].resources.limits.memory, '6Gi');
});

t('controller: service account named explicitly, matching the scale set reference and the chart fullname', async () => {
  const c = await loadTestCluster('theia-prod');
  const v = controllerValues(c);
  assert.equal(v.serviceAccount, { create: true, name: 'arc-gha-rs-controller' });
  assert.is(arcNames(c).controllerDeployment, 'arc-gha-rs-controller');
  assert.is(v.metrics.listenerEndpoint, '/metrics');
  assert.is(controllerFullname('my-gha-rs-controller'), 'my-gha-rs-controller');
});

t('chart 0.13.x gets one emptyDir (not a PVC) so its null volume lists render (ARC #4411); 0.14 does not', async () => {
  const c0 = await loadTestCluster('theia-prod');
  const old = { ...c0, arc: { ...c0.arc, runnerSet: { ...c0.arc.runnerSet, chart: { ...c0.arc.runnerSet.chart, version: '0.13.1' } } } };
  const v = scaleSetValues(old);
  assert.equal(v.template.spec.volumes, [{ name: 'runner-tmp', emptyDir: {} }]);
  assert.equal(v.template.spec.containers[0].volumeMounts, [{ name: 'runner-tmp', mountPath: '/tmp' }]);
  assert.not.match(JSON.stringify(v), /ephemeral|persistentVolumeClaim/);
  assert.equal(scaleSetValues(c0).template.spec.volumes, []);
});

t.run();
