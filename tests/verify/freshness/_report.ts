/** A report with one stale Deployment (5 pods), shared by the output tests. */
import { assess } from '../../../packages/verify/src/freshness/assess.ts';
import { imageUses } from '../../../packages/verify/src/freshness/pod-images.ts';
import { ownerIndex } from '../../../packages/verify/src/freshness/workloads.ts';
import type { Report } from '../../../packages/verify/src/freshness/types.ts';
import { dg, pod } from './_fixtures.ts';

const OLD = dg('old');
const NEW = dg('new');

export function report(): Report {
  const owners = ownerIndex('ReplicaSet', [{ metadata: { name: 'web-1', namespace: 'apps', ownerReferences: [{ kind: 'Deployment', name: 'web', controller: true }] } }]);
  const pods = Array.from({ length: 5 }, (_, i) => pod(`web-1-${i}`, `r.io/app:v1@${OLD}`, { owner: { kind: 'ReplicaSet', name: 'web-1' } }));
  const { uses } = imageUses(pods, owners);
  const findings = assess(
    uses,
    new Map([
      ['r.io/app:v1', { kind: 'resolved', refKey: 'r.io/app:v1', tagDigest: NEW, isIndex: false, platformDigest: NEW, missingArch: false, running: { [OLD]: 'stale' }, createdAt: '2026-03-09T00:00:00Z' }],
    ]),
    Date.parse('2026-03-10T00:00:00Z'),
    3600,
  );
  return { cluster: 'theia-prod', arch: 'amd64', checkedAt: '2026-03-10T00:00:00.000Z', maxAgeSeconds: 3600, pods: 5, containers: uses.length, uniqueRefs: 1, findings, rateLimits: [{ registry: 'registry-1.docker.io', limit: 100, remaining: 42, windowSeconds: 21600 }], requests: { head: 1, get: 2, token: 0, retries: 0 }, durationMs: 1500, timings: { kubeMs: 500, registryMs: 1000 } };
}

