import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { admissionChecks, probeImage, probePod } from '@stateless-ci/digester';
import { cluster } from '../support/fixture.ts';

const t = suite('digester admission verdicts (pure)');
const IMG = 'ghcr.io/actions/actions-runner:latest';
const D = `sha256:${'b'.repeat(64)}`;
const probe = (image: string, ms: number, warnings: string[] = []) => ({ image, ms, warnings });

t('pinned in the runner namespace and untouched in kube-system passes, with latency metrics', () => {
  const [pin, sys] = admissionChecks(IMG, 'arc-runners', probe(`${IMG}@${D}`, 40), probe(IMG, 10), 5);
  assert.is(pin!.status, 'pass');
  assert.equal(pin!.metrics, { admissionMs: 40, baselineMs: 10, webhookMs: 30 });
  assert.match(pin!.detail, /comes back as …@sha256:bbbbbbbbbbbb…; admission 40 ms/);
  assert.is(sys!.status, 'pass');
});

t('unpinned fails with the fail-open explanation (or the API server warning)', () => {
  const [pin] = admissionChecks(IMG, 'arc-runners', probe(IMG, 12), probe(IMG, 10), 5);
  assert.is(pin!.status, 'fail');
  assert.match(pin!.detail, /not pinned: the webhook failed open/);
  const [warned] = admissionChecks(IMG, 'arc-runners', probe(IMG, 12, ['webhook x failed open']), probe(IMG, 10), 5);
  assert.match(warned!.detail, /API server warning: webhook x failed open/);
});

t('kube-system rewritten fails; slow admission warns', () => {
  const [, sys] = admissionChecks(IMG, 'arc-runners', probe(`${IMG}@${D}`, 10), probe(`${IMG}@${D}`, 10), 5);
  assert.is(sys!.status, 'fail');
  const [slow] = admissionChecks(IMG, 'arc-runners', probe(`${IMG}@${D}`, 3000), probe(IMG, 10), 5);
  assert.is(slow!.status, 'warn');
});

t('the probe image is the runner image as a tag, or the override; the Pod is minimal', () => {
  assert.is(probeImage({ cluster: cluster(), env: {} }), IMG);
  assert.is(probeImage({ cluster: cluster(), env: { STATELESS_CI_DIGESTER_PROBE_IMAGE: 'x/y:z' } }), 'x/y:z');
  const pod = probePod(IMG) as { metadata: { generateName: string }; spec: { containers: { image: string }[] } };
  assert.is(pod.metadata.generateName, 'digester-verify-');
  assert.is(pod.spec.containers[0]!.image, IMG);
});

t.run();
