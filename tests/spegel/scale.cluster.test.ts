/**
 * Spegel at scale on the harness: install to Ready on 300 nodes, then verify at 300 and at 1,000
 * nodes with the same number of API requests (Kube.counts, and the API server's audit log: reads
 * by clients other than the control plane). Restores 3 nodes afterwards.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Kube, type Check } from '@stateless-ci/core';
import { createSpegelComponent } from '@stateless-ci/spegel';
import type { Fixture } from '../harness/fixture.ts';
import { auditEvents, auditMark, isClientRequest } from '../harness/src/index.ts';
import { rolloutState, type DaemonSetObject } from '../../packages/spegel/src/rollout.ts';
import { closeSpegelSuite, openSpegelSuite, skipReason, type SpegelTestContext } from './cluster-fixture.ts';

const FILE = 'tests/spegel/scale.cluster.test.ts';
const reason = await skipReason();

// The reads verify makes (pods/proxy included), as the API server's audit log records them.
const VERBS = new Set(['get', 'list']);
const RESOURCES = new Set(['daemonsets', 'nodes', 'pods', 'services', 'endpointslices']);

/**
 * Reads of those resources since `mark` by clients other than the control plane. (The API
 * server's own request counter also counts kcm's and kwok's relists, which at 1,000 nodes of churn
 * land in the window now and then.)
 */
async function readsSince(f: Fixture, mark: number): Promise<number> {
  return (await auditEvents(f.h.auditLog, mark)).filter((e) => isClientRequest(e) && VERBS.has(e.verb) && RESOURCES.has(e.objectRef?.resource ?? '')).length;
}

if (reason) {
  console.log(`# skipped-suite: ${FILE}: ${reason}`);
} else {
  const ns = `spegel-scale-${process.pid}`;
  const spegel = createSpegelComponent({ wait: { timeoutMs: 600_000 } });
  const t = suite<{ f?: Fixture; s?: SpegelTestContext }>('spegel at scale');
  t.before(async (c) => {
    Object.assign(c, await openSpegelSuite(ns));
  });
  t.after(async ({ f, s }) => {
    // Back to 3 nodes first, so the uninstall hook's cleanup DaemonSet runs on 3 nodes only.
    if (f && s) await f.h.setNodeCount(3);
    await closeSpegelSuite(f, s, ns, spegel);
  });

  const measure = async (f: Fixture, s: SpegelTestContext): Promise<{ checks: Check[]; counts: Kube['counts']; server: number; ms: number }> => {
    const kube = new Kube(s.ctx.kube.kc);
    const mark = await auditMark(f.h.auditLog);
    const t0 = Date.now();
    const checks = await spegel.verify({ ...s.ctx, kube });
    const ms = Date.now() - t0;
    const counts = { ...kube.counts };
    const server = await readsSince(f, mark);
    return { checks, counts, server, ms };
  };

  const untilRolledOut = (s: SpegelTestContext, nodes: number) =>
    s.ctx.kube.waitFor<DaemonSetObject, boolean>({
      path: `/apis/apps/v1/namespaces/${ns}/daemonsets`,
      description: `the DaemonSet on ${nodes} nodes`,
      timeoutMs: 600_000,
      until: (_t, _o, all) => {
        const r = rolloutState(all.get(`${ns}/spegel`));
        return r.done && r.desired === nodes ? true : undefined;
      },
    });

  t('fresh install reaches Ready on 300 nodes', async ({ f, s }) => {
    await f!.h.setNodeCount(300);
    const t0 = Date.now();
    await spegel.apply(s!.ctx);
    await spegel.wait(s!.ctx);
    // wait() follows the DaemonSet controller's count, which can lag 297 nodes that just joined
    // (kube-controller-manager's node informer); the test waits until it counts all 300.
    await untilRolledOut(s!, 300);
    console.log(`  # install to Ready on 300 nodes: ${Date.now() - t0} ms`);
    const every = (await spegel.verify(s!.ctx)).find((c) => c.name === 'spegel.pod-on-every-node')!;
    assert.is(every.status, 'pass', every.detail);
    assert.match(every.detail, /all 300 eligible nodes/);
  });

  t('verify makes the same requests at 300 and at 1,000 nodes', async ({ f, s }) => {
    const at300 = await measure(f!, s!);
    await f!.h.setNodeCount(1000);
    const t0 = Date.now();
    // wait() follows the release's rollout; here the DaemonSet must first notice 700 new nodes.
    await untilRolledOut(s!, 1000);
    console.log(`  # roll out to 700 more nodes: ${Date.now() - t0} ms`);
    const at1000 = await measure(f!, s!);
    console.log(`  # verify at 300 nodes: ${at300.ms} ms, ${JSON.stringify(at300.counts)}, reads in the audit log ${at300.server}`);
    console.log(`  # verify at 1000 nodes: ${at1000.ms} ms, ${JSON.stringify(at1000.counts)}, reads in the audit log ${at1000.server}`);
    assert.equal(at1000.counts, at300.counts);
    assert.equal(at1000.counts, { get: 1, list: 4, watch: 0, create: 0, update: 0, apply: 0, delete: 0, raw: 15 });
    // Server side: 1 GET + 4 LIST + 15 pods/proxy (5 sampled pods x 3 paths), at both sizes.
    assert.is(at300.server, 20);
    assert.is(at1000.server, 20);
    const every = at1000.checks.find((c) => c.name === 'spegel.pod-on-every-node')!;
    assert.is(every.status, 'pass', every.detail);
    assert.match(every.detail, /all 1000 eligible nodes/);
  });

  t.run();
}
