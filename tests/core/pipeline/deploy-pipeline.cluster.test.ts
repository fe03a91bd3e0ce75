// The deploy pipeline against the real control plane, with ConfigMap-backed components:
// ordering, rollback at every mutating step, the lock, dry runs, no-op redeploys (zero writes,
// counted in the API server's audit log) and an API server restart in the middle of a deploy.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import {
  DeployLock,
  LOCK_NAME,
  RECORD_NAME,
  STATE_NAMESPACE,
  RefusedError,
  createRuntime,
  loadClusterFile,
  nodeClusterFileIO,
  readDeployHistory,
  runDeploy,
  type ClusterContext,
  type Component,
  type DeployOptions,
  type FaultPoint,
  type KubeObject,
} from '@stateless-ci/core';
import { attach, auditEvents, auditMark, isClientWrite, type Harness } from '../../harness/src/index.ts';
import { configMapComponent } from './configmap-component.ts';

const NS = 'pipeline-test';
const KEY = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n-----END RSA PRIVATE KEY-----';
const secrets = { env: { GITHUB_APP_ID: '1234', GITHUB_APP_INSTALLATION_ID: '5678', GITHUB_APP_PRIVATE_KEY: KEY }, readFile: async () => '' };

interface Ctx {
  h: Harness;
  ctx: ClusterContext;
  version: Record<string, string>;
  components: Component[];
  dispose: () => Promise<void>;
}
const test = suite<Ctx>('deploy pipeline');

const opts = (extra: Partial<DeployOptions> = {}): DeployOptions => ({
  renderer: 'silent',
  secrets,
  who: 'pipeline-test',
  retry: { attempts: 6, baseMs: 100, maxMs: 2000 },
  ...extra,
});

async function liveState(ctx: ClusterContext): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const n of ['spegel', 'digester', 'arc']) {
    const cm = await ctx.kube.read<KubeObject & { data?: unknown }>({ apiVersion: 'v1', kind: 'ConfigMap', name: `pipeline-${n}`, namespace: NS });
    out[n] = cm?.data ?? null;
  }
  return out;
}

test.before(async (c) => {
  c.h = await attach(process.env.STATELESS_CI_HARNESS_DIR!);
  const cluster = await loadClusterFile('theia-prod', path.join(import.meta.dirname, '../../../clusters'), nodeClusterFileIO);
  const rt = await createRuntime(cluster, { kubeconfig: c.h.kubeconfig, context: c.h.context, env: { ...process.env, ...c.h.env() } });
  c.ctx = rt.connect();
  c.dispose = () => rt.dispose();
  c.version = { spegel: '1', digester: '1', arc: '1' };
  c.components = (['spegel', 'digester', 'arc'] as const).map((name) => configMapComponent({ name, namespace: NS, data: () => ({ version: c.version[name]! }) }));
  await c.ctx.kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
});

test.after(async (c) => {
  await c.ctx.kube.delete({ apiVersion: 'v1', kind: 'Namespace', name: NS });
  await c.ctx.kube.delete({ apiVersion: 'v1', kind: 'ConfigMap', name: RECORD_NAME, namespace: STATE_NAMESPACE });
  await c.dispose();
  c.h.client.close();
});

test('a fresh deploy applies every component in order, records the run and releases the lock', async (c) => {
  const r = await runDeploy(c.ctx, c.components, opts());
  assert.is(r.outcome, 'succeeded', r.error);
  assert.is(r.exitCode, 0);
  assert.equal(r.changed, ['spegel', 'digester', 'arc']);
  assert.equal(await liveState(c.ctx), { spegel: { version: '1' }, digester: { version: '1' }, arc: { version: '1' } });
  const history = await readDeployHistory(c.ctx.kube);
  assert.is(history[0]!.result, 'succeeded');
  assert.is(history[0]!.who, 'pipeline-test');
  assert.is(await c.ctx.kube.read({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', name: LOCK_NAME, namespace: STATE_NAMESPACE }), undefined);
});

test('a no-op redeploy makes zero writes (API server audit log)', async (c) => {
  const mark = await auditMark(c.h.auditLog);
  const r = await runDeploy(c.ctx, c.components, opts());
  assert.is(r.outcome, 'no-change');
  assert.is(r.exitCode, 0);
  const events = await auditEvents(c.h.auditLog, mark);
  assert.ok(events.length > 0, 'the audit log saw the run');
  const writes = events.filter(isClientWrite);
  assert.equal(writes.map((e) => `${e.verb} ${e.requestURI}`), []);
});

test('--dry-run reports changes with exit 2 and writes nothing', async (c) => {
  c.version.digester = '2';
  const mark = await auditMark(c.h.auditLog);
  const r = await runDeploy(c.ctx, c.components, opts({ dryRun: true }));
  assert.is(r.outcome, 'planned');
  assert.is(r.exitCode, 2);
  assert.equal(r.plans.find((p) => p.component === 'digester')!.changes[0]!.kind, 'update');
  assert.equal((await auditEvents(c.h.auditLog, mark)).filter(isClientWrite), []);
  c.version.digester = '1';
  assert.is((await runDeploy(c.ctx, c.components, opts({ dryRun: true }))).exitCode, 0);
});

for (const point of ['apply:spegel', 'wait:spegel', 'apply:digester', 'wait:digester', 'apply:arc', 'wait:arc'] as FaultPoint[]) {
  test(`a failure at ${point} returns the cluster to exactly its previous state`, async (c) => {
    const before = await liveState(c.ctx);
    c.version = { spegel: '2', digester: '2', arc: '2' };
    try {
      const r = await runDeploy(c.ctx, c.components, opts({ inject: (p) => { if (p === point) throw new Error(`injected at ${p}`); } }));
      assert.is(r.outcome, 'rolled-back', r.error);
      assert.is(r.exitCode, 1);
      assert.match(r.error ?? '', `injected at ${point}`);
      const failedAt = point.split(':')[1]!;
      const order = ['spegel', 'digester', 'arc'];
      assert.equal(r.rolledBack, order.slice(0, order.indexOf(failedAt) + 1).reverse());
      assert.equal(await liveState(c.ctx), before);
      assert.is((await readDeployHistory(c.ctx.kube))[0]!.result, 'rolled-back');
    } finally {
      c.version = { spegel: '1', digester: '1', arc: '1' };
    }
  });
}

test('snapshots are read when the lock is taken; a failed one surfaces at its turn and rolls back what came before', async (c) => {
  const before = await liveState(c.ctx);
  c.version = { spegel: '2', digester: '2', arc: '2' };
  const points: string[] = [];
  try {
    const r = await runDeploy(c.ctx, c.components, opts({ inject: (p) => { points.push(p); if (p === 'snapshot:digester') throw new Error(`injected at ${p}`); } }));
    assert.is(r.outcome, 'rolled-back', r.error);
    assert.match(r.error ?? '', 'injected at snapshot:digester');
    assert.ok(points.indexOf('snapshot:digester') < points.indexOf('apply:spegel'), points.join(', '));
    assert.ok(points.indexOf('snapshot:arc') < points.indexOf('apply:spegel'), points.join(', '));
    assert.not.ok(points.includes('apply:digester'));
    assert.equal(r.rolledBack, ['spegel']);
    assert.equal(await liveState(c.ctx), before);
  } finally {
    c.version = { spegel: '1', digester: '1', arc: '1' };
  }
});

test('--no-rollback keeps the failed state for debugging', async (c) => {
  c.version = { spegel: '3', digester: '3', arc: '3' };
  const r = await runDeploy(c.ctx, c.components, opts({ rollback: false, inject: (p) => { if (p === 'apply:arc') throw new Error('boom'); } }));
  assert.is(r.outcome, 'failed');
  assert.equal(r.rolledBack, []);
  assert.equal(await liveState(c.ctx), { spegel: { version: '3' }, digester: { version: '3' }, arc: { version: '1' } });
  c.version = { spegel: '1', digester: '1', arc: '1' };
  assert.is((await runDeploy(c.ctx, c.components, opts())).outcome, 'succeeded');
});

test('a second concurrent deploy is refused, naming the holder and its age; nothing changes', async (c) => {
  const other = new DeployLock(c.ctx.kube, 'someone-else@ci pid 42');
  await other.acquire();
  try {
    c.version.spegel = '9';
    const before = await liveState(c.ctx);
    try {
      await runDeploy(c.ctx, c.components, opts());
      assert.unreachable('the deploy ran');
    } catch (e) {
      assert.instance(e, RefusedError);
      assert.match((e as Error).message, /another deploy holds this cluster's lock: someone-else@ci pid 42, for \d+s/);
    }
    assert.equal(await liveState(c.ctx), before);
  } finally {
    await other.release();
    c.version.spegel = '1';
  }
});

test('a lock left by a crashed run expires and is taken over', async (c) => {
  // What a crashed run leaves behind: its Lease, last renewed a minute ago, never renewed again.
  // (A DeployLock object would keep renewing from this process, which a crashed run cannot.)
  const minuteAgo = new Date(Date.now() - 60_000).toISOString().replace('Z', '000Z');
  await c.ctx.kube.apply({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: LOCK_NAME, namespace: STATE_NAMESPACE },
    spec: { holderIdentity: 'crashed-run', leaseDurationSeconds: 5, acquireTime: minuteAgo, renewTime: minuteAgo },
  });
  c.version.arc = '4';
  const r = await runDeploy(c.ctx, c.components, opts());
  assert.is(r.outcome, 'succeeded', r.error);
  assert.equal(r.changed, ['arc']);
  c.version.arc = '1';
  await runDeploy(c.ctx, c.components, opts());
});

test('the API server killed and restarted in the middle of a deploy: the deploy completes', async (c) => {
  c.version = { spegel: '5', digester: '5', arc: '5' };
  let restarted: Promise<void> | undefined;
  const r = await runDeploy(c.ctx, c.components, opts({
    inject: async (p) => {
      if (p !== 'apply:digester') return;
      await c.h.stopApiserver();
      restarted = c.h.startApiserver();
    },
  }));
  await restarted;
  assert.is(r.outcome, 'succeeded', r.error);
  assert.equal(await liveState(c.ctx), { spegel: { version: '5' }, digester: { version: '5' }, arc: { version: '5' } });
  c.version = { spegel: '1', digester: '1', arc: '1' };
});

test('missing credentials stop the deploy in preflight and change nothing', async (c) => {
  c.version.spegel = '7';
  const mark = await auditMark(c.h.auditLog);
  try {
    await runDeploy(c.ctx, c.components, opts({ secrets: { env: {}, readFile: async () => '' } }));
    assert.unreachable();
  } catch (e) {
    assert.match(String((e as Error).message), /GITHUB_APP_ID is not set/);
  }
  assert.equal((await auditEvents(c.h.auditLog, mark)).filter(isClientWrite), []);
  c.version.spegel = '1';
});

// Staging: a component's `stage` runs right after the lock, while the components before it deploy.
const stagedKey = { apiVersion: 'v1', kind: 'ConfigMap', name: 'pipeline-arc-staged', namespace: NS };
const withStagedArc = (c: Ctx): Component[] =>
  c.components.map((comp) => (comp.name === 'arc' ? configMapComponent({ name: 'arc', namespace: NS, data: () => ({ version: c.version.arc! }), staged: () => ({ version: c.version.arc! }) }) : comp));

async function stagedState(ctx: ClusterContext): Promise<unknown> {
  return (await ctx.kube.read<KubeObject & { data?: unknown }>(stagedKey))?.data ?? null;
}

test('a staged component stages while the components before it deploy', async (c) => {
  c.version = { spegel: '11', digester: '11', arc: '11' };
  try {
    const r = await runDeploy(c.ctx, withStagedArc(c), opts({
      // Spegel's apply cannot finish until ARC's staged object exists: staging must not wait for it.
      inject: async (p) => {
        if (p !== 'apply:spegel') return;
        const deadline = Date.now() + 10_000;
        while (!(await c.ctx.kube.read(stagedKey))) {
          if (Date.now() > deadline) throw new Error('ARC was not staged while Spegel deployed');
          await new Promise((res) => setTimeout(res, 20));
        }
      },
    }));
    assert.is(r.outcome, 'succeeded', r.error);
    assert.equal(r.changed, ['spegel', 'digester', 'arc']);
    assert.equal(await stagedState(c.ctx), { version: '11' });
  } finally {
    c.version = { spegel: '1', digester: '1', arc: '1' };
    await c.ctx.kube.delete(stagedKey);
    await runDeploy(c.ctx, c.components, opts());
  }
});

test("a staged component is told when its turn comes and waits for the staging (the `needed` promise)", async (c) => {
  c.version = { spegel: '13', digester: '13', arc: '13' };
  const order: string[] = [];
  const components = withStagedArc(c).map((comp): Component => {
    if (comp.name !== 'arc') return comp;
    return {
      ...comp,
      stage: async (ctx, before, needed) => {
        order.push('stage started');
        const late = new Promise<never>((_r, reject) => setTimeout(() => reject(new Error('needed never resolved')), 20_000).unref());
        await Promise.race([needed, late]);
        order.push('needed');
        return comp.stage!(ctx, before, needed);
      },
    };
  });
  try {
    const r = await runDeploy(c.ctx, components, opts({ inject: async (p) => void (['wait:digester', 'apply:arc'].includes(p) && order.push(p)) }));
    assert.is(r.outcome, 'succeeded', r.error);
    assert.equal(order, ['stage started', 'wait:digester', 'needed', 'apply:arc']);
  } finally {
    c.version = { spegel: '1', digester: '1', arc: '1' };
    await c.ctx.kube.delete(stagedKey);
    await runDeploy(c.ctx, c.components, opts());
  }
});

for (const point of ['stage:arc', 'apply:spegel', 'wait:digester', 'apply:arc'] as FaultPoint[]) {
  test(`with ARC staged, a failure at ${point} also undoes the staging`, async (c) => {
    const before = { live: await liveState(c.ctx), staged: await stagedState(c.ctx) };
    assert.is(before.staged, null);
    c.version = { spegel: '12', digester: '12', arc: '12' };
    try {
      const r = await runDeploy(c.ctx, withStagedArc(c), opts({ inject: (p) => { if (p === point) throw new Error(`injected at ${p}`); } }));
      assert.is(r.outcome, 'rolled-back', r.error);
      assert.match(r.error ?? '', `injected at ${point}`);
      // ARC was snapshotted and staged up front, so it is rolled back whatever step failed.
      assert.ok(r.rolledBack.includes('arc'), `rolled back: ${r.rolledBack.join(', ')}`);
      assert.equal(r.rolledBack, [...r.rolledBack].sort((a, b) => ['arc', 'digester', 'spegel'].indexOf(a) - ['arc', 'digester', 'spegel'].indexOf(b)), 'reverse deploy order');
      assert.equal({ live: await liveState(c.ctx), staged: await stagedState(c.ctx) }, before);
    } finally {
      c.version = { spegel: '1', digester: '1', arc: '1' };
    }
  });
}

test.run();
