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

t('empty phases are left out', () => {
  assert.equal(applyPhases([o('Service', 's')]).length, 1);
  assert.equal(applyPhases([]), []);
});

t.run();
