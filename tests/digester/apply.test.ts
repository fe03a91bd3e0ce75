import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { KubeObject } from '@stateless-ci/core';
import { applyPhases } from '@stateless-ci/digester';

const t = suite('digester apply phases (pure)');

const o = (kind: string, name: string): KubeObject => ({ apiVersion: 'v1', kind, metadata: { name } });

t('namespaces first, webhook configurations last, the rest together in between', () => {
  const objects = [o('Namespace', 'digester-system'), o('ServiceAccount', 'sa'), o('MutatingWebhookConfiguration', 'digester'), o('Deployment', 'd'), o('Service', 's')];
  assert.equal(
    applyPhases(objects).map((p) => p.map((x) => x.kind)),
    [['Namespace'], ['ServiceAccount', 'Deployment', 'Service'], ['MutatingWebhookConfiguration']],
  );
});

t('a seeded install writes the cert Secret on its own, before the Deployment that mounts it', () => {
  const objects = [o('Namespace', 'digester-system'), o('Secret', 'digester-webhook-server-cert'), o('Secret', 'other'), o('Deployment', 'd'), o('MutatingWebhookConfiguration', 'digester')];
  assert.equal(
    applyPhases(objects, { certSecretFirst: true }).map((p) => p.map((x) => x.metadata.name)),
    [['digester-system'], ['digester-webhook-server-cert'], ['other', 'd'], ['digester']],
  );
  assert.equal(applyPhases(objects).length, 3, 'without a seed the Secret goes with the rest');
});

t('empty phases are left out', () => {
  assert.equal(applyPhases([o('Service', 's')]).length, 1);
  assert.equal(applyPhases([]), []);
});

t.run();
