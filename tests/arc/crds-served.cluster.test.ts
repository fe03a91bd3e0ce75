// applyCrds returns only once the API server serves the new resources: listing them right after
// succeeds. A CRD that never becomes served times out with a message naming it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Kube, KubeObject } from '@stateless-ci/core';
import { applyCrds, waitServed } from '@stateless-ci/arc';
import { closeHarness, harnessKube, openHarness, type Fixture } from '../harness/fixture.ts';

interface Ctx {
  f?: Fixture;
  kube?: Kube;
  group?: string;
}
const t = suite<Ctx>('arc CRDs are served before applyCrds returns');

t.before(async (c) => {
  c.f = await openHarness();
  c.kube = harnessKube(c.f.h);
  c.group = `served-${process.pid}.example.com`;
});

t.after(async (c) => {
  for (const plural of ['widgets', 'gadgets']) await c.kube?.delete({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: `${plural}.${c.group}` });
  c.kube?.close();
  await closeHarness(c.f);
});

function crd(group: string, plural: string): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      names: { kind: plural[0]!.toUpperCase() + plural.slice(1, -1), plural },
      scope: 'Namespaced',
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
  };
}

t('right after applyCrds the new resources can be listed', async (c) => {
  await applyCrds(c.kube!, [crd(c.group!, 'widgets'), crd(c.group!, 'gadgets')]);
  for (const plural of ['widgets', 'gadgets']) assert.equal(await c.kube!.listAt(`/apis/${c.group}/v1/${plural}`), []);
});

t('a CRD that is never served times out, naming it', async (c) => {
  const err = await waitServed(c.kube!, [crd(c.group!, 'absentees')], { timeoutMs: 300 }).then(() => undefined, (e: unknown) => e);
  assert.instance(err, Error);
  assert.match((err as Error).message, new RegExp(`serve ${c.group!.replace(/\./g, '\\.')}/v1 absentees`));
  assert.match((err as Error).message, /kubectl get crd absentees\./);
});

t.run();
