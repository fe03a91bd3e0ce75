/**
 * The freshness check against the harness: images pushed to the local registry through the OCI
 * distribution API, pods running on them (kwok), then the cases the issue lists: a re-pushed tag
 * is stale, a re-push of only the other architecture is not, an index without arm64 is flagged on
 * parma, a token registry works with credentials (docker config or pull secret) and fails clearly
 * without, and 429s are retried.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Kube, memoryLogger, Redactor, type Arch } from '@stateless-ci/core';
import { runFreshness, type FreshnessOptions } from '../../../packages/verify/src/freshness/check.ts';
import type { Finding, Report } from '../../../packages/verify/src/freshness/types.ts';
import { watchUntil } from '../../harness/src/index.ts';
import { closeHarness, freshNamespace, harnessKube, openHarness, type Fixture } from '../../harness/fixture.ts';
import { pushImage, pushIndex, pushMultiArch, REGISTRY, startProxy } from './_registry.ts';

interface Ctx {
  f?: Fixture;
  kube?: Kube;
  ns?: string;
}
const t = suite<Ctx>('freshness on the harness');
const REPO = `freshness-${process.pid}`;
const DAY = 86_400_000;
const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();

t.before(async (ctx) => {
  ctx.f = await openHarness();
  ctx.kube = harnessKube(ctx.f.h);
  ctx.ns = await freshNamespace(ctx.f.h, 'fresh');
});
t.after(async (ctx) => {
  if (ctx.f && ctx.ns) await ctx.f.h.client.remove(`/api/v1/namespaces/${ctx.ns}`);
  await closeHarness(ctx.f);
});

let n = 0;
/** Bare pods on `image`, waited Running. */
async function runPods(ctx: Ctx, image: string, count = 2, extra: Record<string, unknown> = {}): Promise<string[]> {
  const names = Array.from({ length: count }, () => `p${++n}`);
  for (const name of names) {
    await ctx.f!.h.client.create(`/api/v1/namespaces/${ctx.ns}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'main', image }], ...extra } });
  }
  await watchUntil<{ metadata: { name: string }; status?: { phase?: string } }>(ctx.f!.h.client, `/api/v1/namespaces/${ctx.ns}/pods`, (m) => names.every((x) => m.get(x)?.status?.phase === 'Running'), `pods ${names.join(',')} Running`, 60_000);
  return names;
}

async function check(ctx: Ctx, o: Partial<FreshnessOptions> & { arch?: Arch } = {}, redactor = new Redactor()): Promise<{ report: Report; mine: (pods: string[]) => Finding[]; log: string[] }> {
  const log = memoryLogger(redactor);
  const report = await runFreshness(
    { cluster: 'harness', arch: 'amd64', maxAgeSeconds: 86_400, concurrency: 8, excludeNamespaces: [], archCheck: 'on-change', pullSecrets: true, ...o },
    { kube: ctx.kube!, log, redactor },
  );
  return { report, log: log.lines, mine: (pods) => report.findings.filter((f) => f.use.namespace === ctx.ns && pods.includes(f.use.pod)) };
}

t('a re-pushed multi-arch tag makes its pods stale, with both digests and the age of the new push', async (ctx) => {
  const v1 = await pushMultiArch(`${REPO}/app`, 'latest', iso(3 * DAY));
  const pods = await runPods(ctx, `${REGISTRY}/${REPO}/app:latest@${v1.index}`);
  const before = await check(ctx);
  assert.equal(before.mine(pods).map((f) => f.status), ['current', 'current']);
  const v2 = await pushMultiArch(`${REPO}/app`, 'latest', iso(2 * DAY));
  const { mine } = await check(ctx);
  const found = mine(pods);
  assert.equal(found.map((f) => f.status), ['stale', 'stale']);
  assert.is(found[0]!.use.runningDigest, v1.index);
  assert.is(found[0]!.currentDigest, v2.index);
  assert.ok(Math.abs(found[0]!.ageSeconds! - 2 * 86_400) < 600, `age ${found[0]!.ageSeconds}`);
  assert.is(found[0]!.overMaxAge, true);
  assert.is(found[0]!.use.workload.kind, 'Pod');
});

t('re-pushing only the other architecture is not stale on amd64, and is on arm64 (parma)', async (ctx) => {
  const v1 = await pushMultiArch(`${REPO}/other-arch`, 'v1', iso(3 * DAY));
  const pods = await runPods(ctx, `${REGISTRY}/${REPO}/other-arch:v1@${v1.index}`);
  const newArm = await pushImage(`${REPO}/other-arch`, 'arm64', iso(DAY));
  await pushIndex(`${REPO}/other-arch`, 'v1', { amd64: v1.amd64, arm64: newArm });
  const amd = await check(ctx, { arch: 'amd64' });
  assert.equal(amd.mine(pods).map((f) => f.status), ['current', 'current']);
  const arm = await check(ctx, { arch: 'arm64' });
  assert.equal(arm.mine(pods).map((f) => f.status), ['stale', 'stale']);
});

t('on parma, a tag re-pushed without arm64 is flagged missing-arch; with --arch-check always so is a pinned amd64-only index', async (ctx) => {
  const v1 = await pushMultiArch(`${REPO}/dropped`, 'v1', iso(DAY));
  const pods = await runPods(ctx, `${REGISTRY}/${REPO}/dropped:v1@${v1.index}`, 1);
  await pushIndex(`${REPO}/dropped`, 'v1', { amd64: await pushImage(`${REPO}/dropped`, 'amd64', iso(0)) });
  const parma = await check(ctx, { arch: 'arm64' });
  assert.equal(parma.mine(pods).map((f) => f.status), ['missing-arch']);
  assert.match(parma.mine(pods)[0]!.reason!, /no linux manifest/);

  const amdOnly = await pushIndex(`${REPO}/amd-only`, 'v1', { amd64: await pushImage(`${REPO}/amd-only`, 'amd64', iso(DAY)) });
  const pinned = await runPods(ctx, `${REGISTRY}/${REPO}/amd-only:v1@${amdOnly}`, 1);
  assert.equal((await check(ctx, { arch: 'arm64' })).mine(pinned).map((f) => f.status), ['current']);
  assert.equal((await check(ctx, { arch: 'arm64', archCheck: 'always' })).mine(pinned).map((f) => f.status), ['missing-arch']);
  assert.equal((await check(ctx, { arch: 'amd64', archCheck: 'always' })).mine(pinned).map((f) => f.status), ['current']);
});

t('a registry requiring a token: clear error without credentials, works with a docker config or a pull secret', async (ctx) => {
  const password = `pw-${process.pid}-secret-value`;
  const proxy = await startProxy({ token: { user: 'ci', password } });
  try {
    const v1 = await pushMultiArch(`${REPO}/private`, 'v1', iso(DAY));
    const image = `${proxy.host}/${REPO}/private:v1@${v1.index}`;
    const pods = await runPods(ctx, image, 1, { imagePullSecrets: [{ name: 'regcred' }] });

    const anonymous = await check(ctx);
    const f = anonymous.mine(pods)[0]!;
    assert.is(f.status, 'unresolvable');
    assert.match(f.reason!, /token service refused anonymous access; configure credentials/);
    assert.ok(anonymous.log.some((l) => /pull secret .*regcred not read \(HTTP 404\)/.test(l)));

    const dockerConfig = { text: JSON.stringify({ auths: { [proxy.host]: { auth: Buffer.from(`ci:${password}`).toString('base64') } } }), source: 'test config.json' };
    const redactor = new Redactor();
    const withFile = await check(ctx, { dockerConfig }, redactor);
    assert.equal(withFile.mine(pods).map((x) => x.status), ['current']);
    assert.ok(withFile.report.requests.token >= 1);
    assert.is(redactor.redact(`x ${password}`), 'x [REDACTED]');
    assert.not.match(JSON.stringify(withFile.report), password);

    await ctx.f!.h.client.create(`/api/v1/namespaces/${ctx.ns}/secrets`, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'regcred' },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': Buffer.from(dockerConfig.text).toString('base64') },
    });
    const withSecret = await check(ctx);
    assert.equal(withSecret.mine(pods).map((x) => x.status), ['current']);
    const wrong = await check(ctx, { pullSecrets: false, dockerConfig: { text: JSON.stringify({ auths: { [proxy.host]: { username: 'ci', password: 'wrong' } } }), source: 'x' } });
    assert.match(wrong.mine(pods)[0]!.reason!, /token service rejected the credentials/);
  } finally {
    await proxy.close();
  }
});

t('429 with Retry-After is honoured and the ref then resolves; rate-limit headers are reported', async (ctx) => {
  const proxy = await startProxy({ throttle: 2 });
  try {
    const v1 = await pushMultiArch(`${REPO}/throttled`, 'v1', iso(DAY));
    const pods = await runPods(ctx, `${proxy.host}/${REPO}/throttled:v1@${v1.index}`, 1);
    const { report, mine, log } = await check(ctx);
    assert.equal(mine(pods).map((f) => f.status), ['current']);
    assert.is(proxy.throttled, 2);
    assert.ok(report.requests.retries >= 2, `retries ${report.requests.retries}`);
    assert.ok(log.some((l) => /429 Too Many Requests; retrying in 1\.\ds/.test(l)), log.join('\n'));
    assert.equal(report.rateLimits.find((r) => r.registry === proxy.host), { registry: proxy.host, limit: 100, remaining: 99, windowSeconds: 21600 });
  } finally {
    await proxy.close();
  }
});

t.run();
