import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { digestFromImageID, imageUses, uniqueRefs } from '../../../packages/verify/src/freshness/pod-images.ts';
import { ownerIndex } from '../../../packages/verify/src/freshness/workloads.ts';
import { dg, pod } from './_fixtures.ts';

const t = suite('pod-images');
const D1 = dg('one');
const D2 = dg('two');

t('the digester form name:tag@sha256 gives both the tag to resolve and the running digest', () => {
  const { uses } = imageUses([pod('a', `ghcr.io/org/app:latest@${D1}`)], new Map());
  assert.is(uses.length, 1);
  assert.is(uses[0]!.refKey, 'ghcr.io/org/app:latest');
  assert.is(uses[0]!.runningDigest, D1);
});

t('without a digest in the spec, the repo digest in status imageID is used; a bare config ID is not', () => {
  const { uses } = imageUses([pod('a', 'nginx:1', { imageID: `docker.io/library/nginx@${D2}` }), pod('b', 'nginx:1', { imageID: D1 })], new Map());
  assert.is(uses[0]!.refKey, 'registry-1.docker.io/library/nginx:1');
  assert.is(uses[0]!.runningDigest, D2);
  assert.is(uses[1]!.runningDigest, undefined);
  assert.is(digestFromImageID(`docker-pullable://ghcr.io/a/b@${D1}`), D1);
});

t('init containers are collected and marked; digest-only images have no tag to resolve', () => {
  const { uses } = imageUses([pod('a', `ghcr.io/org/app@${D1}`, { init: 'busybox:1.36' })], new Map());
  assert.equal(uses.map((u) => [u.container, u.init, u.refKey]), [['main', false, undefined], ['setup', true, 'registry-1.docker.io/library/busybox:1.36']]);
});

t('the owner chain follows ReplicaSet to Deployment and Job to CronJob', () => {
  const owners = ownerIndex('ReplicaSet', [{ metadata: { name: 'web-abc', namespace: 'apps', ownerReferences: [{ kind: 'Deployment', name: 'web', controller: true }] } }]);
  ownerIndex('Job', [{ metadata: { name: 'nightly-1', namespace: 'apps', ownerReferences: [{ kind: 'CronJob', name: 'nightly', controller: true }] } }], owners);
  const { uses } = imageUses(
    [pod('web-abc-1', 'a:1', { owner: { kind: 'ReplicaSet', name: 'web-abc' } }), pod('n-1', 'a:1', { owner: { kind: 'Job', name: 'nightly-1' } }), pod('db-0', 'a:1', { owner: { kind: 'StatefulSet', name: 'db' } }), pod('solo', 'a:1')],
    owners,
  );
  assert.equal(uses.map((u) => `${u.workload.kind}/${u.workload.name}`), ['Deployment/web', 'CronJob/nightly', 'StatefulSet/db', 'Pod/solo']);
});

t('an unparsable image is reported, not thrown; unique refs gather running digests and non-running uses', () => {
  const { uses, badImages } = imageUses([pod('x', 'Bad/Name:1'), pod('a', `r.io/a:1@${D1}`), pod('b', `r.io/a:1@${D2}`, { waiting: true }), pod('c', `r.io/a:1@${D1}`)], new Map());
  assert.is(badImages.length, 1);
  const refs = uniqueRefs(uses);
  assert.is(refs.size, 1);
  assert.equal([...refs.get('r.io/a:1')!.running].sort(), [D1, D2].sort());
  assert.is(refs.get('r.io/a:1')!.anyNotRunning, true);
});

t.run();
