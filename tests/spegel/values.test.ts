import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mergeValues, spegelValues } from '../../packages/spegel/src/values.ts';
import { theiaProd } from './helpers.ts';

const t = suite('spegel values');

t('theia-prod: pinned image, containerd paths, mirroring on for all registries, resolveTags off, every node', async () => {
  const v = spegelValues((await theiaProd()).spegel);
  assert.equal(v.image, { repository: 'ghcr.io/spegel-org/spegel', tag: 'v0.7.4' });
  assert.equal(v.spegel, {
    containerdSock: '/run/containerd/containerd.sock',
    containerdRegistryConfigPath: '/etc/containerd/certs.d',
    containerdContentPath: '/var/lib/containerd/io.containerd.content.v1.content',
    containerdMirrorAdd: true,
    mirroredRegistries: [],
    resolveTags: false,
    logLevel: 'INFO',
  });
  assert.equal(v.tolerations, [{ operator: 'Exists' }]);
  assert.is(v.fullnameOverride, 'spegel');
});

t('a digest is passed on (the chart then renders repository@digest); allNodes false drops every toleration', async () => {
  const c = (await theiaProd()).spegel;
  const v = spegelValues({ ...c, image: { ...c.image, digest: `sha256:${'a'.repeat(64)}` }, allNodes: false, mirroredRegistries: ['https://ghcr.io'] });
  assert.is((v.image as { digest: string }).digest, `sha256:${'a'.repeat(64)}`);
  assert.equal(v.tolerations, []);
  assert.equal((v.spegel as { mirroredRegistries: string[] }).mirroredRegistries, ['https://ghcr.io']);
});

t('mergeValues: objects merge recursively, arrays and scalars replace', () => {
  const m = mergeValues({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, e: 2 });
  assert.equal(m, { a: { b: 1, c: [3] }, d: 1, e: 2 });
  assert.equal(mergeValues({ a: 1 }, undefined), { a: 1 });
});

t.run();
