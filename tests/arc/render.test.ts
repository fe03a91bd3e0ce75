import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Redactor, memoryLogger, parseManifests, stringifyManifests, type Helm, type RenderContext } from '@stateless-ci/core';
import { arcComponent } from '@stateless-ci/arc';
import { fakeCrds, loadTestCluster } from './fixtures.ts';

const t = suite('arc render (helm template faked)');

interface TemplateCall {
  release: string;
  namespace: string;
  chart: { ref: string; version: string; plainHttp: boolean };
  values: unknown;
  includeCrds?: boolean;
}

function fakeHelm(calls: TemplateCall[]): Helm {
  const template = async (o: TemplateCall) => {
    calls.push(o);
    if (o.chart.ref.endsWith('/gha-runner-scale-set-controller')) {
      const deploy = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'arc-gha-rs-controller', namespace: o.namespace } };
      return stringifyManifests([...(o.includeCrds ? fakeCrds() : []), deploy]);
    }
    return stringifyManifests([{ apiVersion: 'actions.github.com/v1alpha1', kind: 'AutoscalingRunnerSet', metadata: { name: o.release, namespace: o.namespace } }]);
  };
  return { template, templateObjectsFrozen: async (o: TemplateCall, source: string) => parseManifests(await template(o), source), once: <T>(_k: string, f: () => Promise<T>) => f(), keep: async <T>(_n: string, _from: unknown, f: () => T) => f() } as unknown as Helm;
}

t('renders CRDs from the controller chart, both charts from the mirror, and the Secret without values', async () => {
  const cluster = await loadTestCluster('theia-prod');
  const calls: TemplateCall[] = [];
  const redactor = new Redactor();
  const env = { STATELESS_CI_CHART_MIRROR: 'oci://127.0.0.1:5000/charts', STATELESS_CI_PLAIN_HTTP: '1', GITHUB_APP_PRIVATE_KEY: 'never-read-by-render' };
  const ctx = { cluster, helm: fakeHelm(calls), log: memoryLogger(redactor), redactor, env, workDir: '/nonexistent', sh: undefined } as unknown as RenderContext;
  const r = await arcComponent.render(ctx);
  assert.equal(
    calls.map((c) => [c.release, c.namespace, c.chart.ref, c.chart.version, c.chart.plainHttp, c.includeCrds === true]),
    [
      ['arc', 'arc-systems', 'oci://127.0.0.1:5000/charts/gha-runner-scale-set-controller', '0.14.2', true, true],
      ['arc-runner-set-stateless', 'arc-runners', 'oci://127.0.0.1:5000/charts/gha-runner-scale-set', '0.14.2', true, false],
    ],
  );
  assert.equal(
    r.objects.map((o) => o.kind),
    ['Namespace', 'Namespace', 'CustomResourceDefinition', 'CustomResourceDefinition', 'CustomResourceDefinition', 'CustomResourceDefinition', 'Deployment', 'Secret', 'AutoscalingRunnerSet'],
  );
  assert.ok(r.objects.filter((o) => o.kind === 'CustomResourceDefinition').every((o) => o.metadata.annotations?.['stateless-ci/arc-chart-version'] === '0.14.2'));
  const all = JSON.stringify({ calls, r });
  assert.not.match(all, /never-read-by-render/);
  assert.is((calls[1]!.values as { githubConfigSecret: unknown }).githubConfigSecret, 'arc-runner-set-stateless-github-config');
});

t.run();
