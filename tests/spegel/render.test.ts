import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError, parseManifests } from '@stateless-ci/core';
import { dropHelmHooks, finishObjects } from '../../packages/spegel/src/render.ts';

const finishRender = (text: string, c: Parameters<typeof finishObjects>[1]) => finishObjects(parseManifests(text, 'helm template spegel'), c);
import { theiaProd } from './helpers.ts';

const t = suite('spegel render post-processing');

// Given helm template output shaped like the Spegel chart's (written here, not copied):
const ds = (image: string, hook = false) => `---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: spegel${hook ? '-cleanup' : ''}
  namespace: spegel
${hook ? "  annotations:\n    helm.sh/hook: post-delete\n" : ''}spec:
  template:
    spec:
      initContainers:
        - name: configuration
          image: ${image}
      containers:
        - name: registry
          image: ${image}
`;
const svc = `---
apiVersion: v1
kind: Service
metadata:
  name: spegel-registry
  namespace: spegel
`;

t('hooks are dropped, the namespace comes first, pinned images pass', async () => {
  const c = await theiaProd();
  const r = finishRender(ds('ghcr.io/spegel-org/spegel:v0.7.4') + svc + ds('ghcr.io/spegel-org/spegel:v0.7.4', true), c);
  assert.equal(r.droppedHooks, ['DaemonSet/spegel-cleanup']);
  assert.equal(r.objects.map((o) => `${o.kind}/${o.metadata.name}`), ['Namespace/spegel', 'DaemonSet/spegel', 'Service/spegel-registry']);
  assert.is(r.objects[0]!.metadata.labels?.['pod-security.kubernetes.io/enforce'], 'privileged');
  assert.is(r.objects[0]!.metadata.labels?.['app.kubernetes.io/managed-by'], 'stateless-ci');
});

t('the chart placeholder image (v0.0.1) is refused with a ConfigError naming the container', async () => {
  const c = await theiaProd();
  try {
    finishRender(ds('ghcr.io/spegel-org/spegel:v0.0.1'), c);
    assert.unreachable('should refuse');
  } catch (e) {
    assert.instance(e, ConfigError);
    assert.match((e as Error).message, /DaemonSet\/spegel container configuration with image ghcr.io\/spegel-org\/spegel:v0.0.1, not the pinned ghcr.io\/spegel-org\/spegel:v0.7.4/);
  }
});

t('dropHelmHooks keeps objects without the hook annotation', () => {
  const r = dropHelmHooks([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', annotations: { 'helm.sh/hook': 'post-delete' } } }, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b' } }]);
  assert.equal(r.kept.map((o) => o.metadata.name), ['b']);
  assert.equal(r.dropped, ['Pod/a']);
});

t.run();
