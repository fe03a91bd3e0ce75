/**
 * Spegel at scale on the harness: install to Ready on 300 nodes, then verify at 300 and at 1,000
 * nodes with the same number of API requests (Kube.counts and the API server's own
 * apiserver_request_total for LIST/GET/WATCH). Restores 3 nodes afterwards.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Kube, type Check } from '@stateless-ci/core';
import { createSpegelComponent } from '@stateless-ci/spegel';
import type { Fixture } from '../harness/fixture.ts';
import { parsePrometheus } from '../../packages/spegel/src/verify/prometheus.ts';
import { rolloutState, type DaemonSetObject } from '../../packages/spegel/src/rollout.ts';
import { closeSpegelSuite, openSpegelSuite, skipReason, type SpegelTestContext } from './cluster-fixture.ts';

const FILE = 'tests/spegel/scale.cluster.test.ts';
const reason = await skipReason();

// The reads verify makes (CONNECT = pods/proxy). Other clients (kwok, controllers) use watches.
const VERBS = new Set(['LIST', 'GET', 'WATCH', 'CONNECT']);
const RESOURCES = new Set(['daemonsets', 'nodes', 'pods', 'services', 'endpointslices']);

/** Requests for those resources the API server has served so far (its own counter). */
async function readRequests(kube: Kube): Promise<number> {
  const res = await kube.raw('GET', '/metrics', undefined, { Accept: 'text/plain' });
  return parsePrometheus(res.body)
    .filter((s) => s.name === 'apiserver_request_total' && VERBS.has(s.labels.verb ?? '') && RESOURCES.has(s.labels.resource ?? ''))
    .reduce((a, s) => a + s.value, 0);
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

  const measure = async (s: SpegelTestContext): Promise<{ checks: Check[]; counts: Kube['counts']; server: number; ms: number }> => {
    const metrics = new Kube(s.ctx.kube.kc);
    const kube = new Kube(s.ctx.kube.kc);
    const before = await readRequests(metrics);
    const t0 = Date.now();
    const checks = await spegel.verify({ ...s.ctx, kube });
    const ms = Date.now() - t0;
    const counts = { ...kube.counts };
    const server = (await readRequests(metrics)) - before;
    return { checks, counts, server, ms };
  };

  t('fresh install reaches Ready on 300 nodes', async ({ f, s }) => {
    await f!.h.setNodeCount(300);
    const t0 = Date.now();
    await spegel.apply(s!.ctx);
    await spegel.wait(s!.ctx);
    console.log(`  # install to Ready on 300 nodes: ${Date.now() - t0} ms`);
    const every = (await spegel.verify(s!.ctx)).find((c) => c.name === 'spegel.pod-on-every-node')!;
    assert.is(every.status, 'pass', every.detail);
    assert.match(every.detail, /all 300 eligible nodes/);
  });

  t('verify makes the same requests at 300 and at 1,000 nodes', async ({ f, s }) => {
    const at300 = await measure(s!);
    await f!.h.setNodeCount(1000);
    const t0 = Date.now();
    // wait() follows the release's rollout; here the DaemonSet must first notice 700 new nodes.
    await s!.ctx.kube.waitFor<DaemonSetObject, boolean>({
      path: `/apis/apps/v1/namespaces/${ns}/daemonsets`,
      description: 'the DaemonSet on 1000 nodes',
      timeoutMs: 600_000,
      until: (_t, _o, all) => {
        const r = rolloutState(all.get(`${ns}/spegel`));
        return r.done && r.desired === 1000 ? true : undefined;
      },
    });
    console.log(`  # roll out to 700 more nodes: ${Date.now() - t0} ms`);
    const at1000 = await measure(s!);
    console.log(`  # verify at 300 nodes: ${at300.ms} ms, ${JSON.stringify(at300.counts)}, apiserver LIST/GET/WATCH ${at300.server}`);
    console.log(`  # verify at 1000 nodes: ${at1000.ms} ms, ${JSON.stringify(at1000.counts)}, apiserver LIST/GET/WATCH ${at1000.server}`);
    assert.equal(at1000.counts, at300.counts);
    assert.equal(at1000.counts, { get: 1, list: 4, watch: 0, create: 0, apply: 0, delete: 0, raw: 15 });
    // Server side: 1 GET + 4 LIST + 15 pods/proxy (5 sampled pods x 3 paths), at both sizes.
    assert.is(at300.server, 20);
    assert.is(at1000.server, 20);
    const every = at1000.checks.find((c) => c.name === 'spegel.pod-on-every-node')!;
    assert.is(every.status, 'pass', every.detail);
    assert.match(every.detail, /all 1000 eligible nodes/);
  });

  t.run();
}
