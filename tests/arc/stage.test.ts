// Which CRDs the stage creates ahead of the ordered deploys, decided from the snapshot's live state.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { resolveChart } from '@stateless-ci/core';
import { arcCrds, controllerValues, crdMeta, crdsToStage, scaleSetValues, type ArcLive, type ArcRender } from '@stateless-ci/arc';
import { fakeCrds, loadTestCluster } from './fixtures.ts';

const t = suite('arc stage');

async function render(): Promise<ArcRender> {
  const cluster = await loadTestCluster('theia-prod');
  const target = {
    controllerChart: resolveChart(cluster.arc.controller.chart, {}),
    scaleSetChart: resolveChart(cluster.arc.runnerSet.chart, {}),
    controllerValues: controllerValues(cluster),
    scaleSetValues: scaleSetValues(cluster),
  };
  return { target, crds: arcCrds(fakeCrds(), target.controllerChart.version), controllerObjects: [], scaleSetObjects: [] };
}

const names = (r: ArcRender) => r.crds.map((c) => c.metadata.name);
const absent = (name: string) => crdMeta(name, undefined);

t('a fresh cluster: all four CRDs are staged', async () => {
  const r = await render();
  const live: ArcLive = { crds: names(r).map(absent), otherScaleSets: [] };
  assert.equal(crdsToStage(r, live).map((c) => c.metadata.name), names(r));
});

t('only the absent ones: CRDs already in place with our stamp are left alone', async () => {
  const r = await render();
  const [first, ...rest] = r.crds;
  const live: ArcLive = { crds: [crdMeta(first!.metadata.name, first), ...rest.map((c) => absent(c.metadata.name))], otherScaleSets: [] };
  assert.equal(crdsToStage(r, live).map((c) => c.metadata.name), names(r).slice(1));
});

t('nothing when everything is in place, or when an older controller runs (the documented upgrade path)', async () => {
  const r = await render();
  const present: ArcLive = { crds: r.crds.map((c) => crdMeta(c.metadata.name, c)), otherScaleSets: [] };
  assert.equal(crdsToStage(r, present), []);
  const older: ArcLive = { controller: { version: '0.13.1', revision: 1, status: 'deployed', values: {} }, crds: names(r).map(absent), otherScaleSets: ['other/set'] };
  assert.equal(crdsToStage(r, older), []);
});

t.run();
