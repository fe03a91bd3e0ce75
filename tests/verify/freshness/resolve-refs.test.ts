import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RegistryError } from '@stateless-ci/core';
import { resolveRefs, type RefDemand, type ResolveOptions } from '../../../packages/verify/src/freshness/resolve-refs.ts';
import { registryRetry } from '../../../packages/verify/src/freshness/registry-retry.ts';
import { FakeRegistry } from './_fixtures.ts';

const R = 'r.io';
const opts = (o: Partial<ResolveOptions> = {}): ResolveOptions => ({ arch: 'amd64', concurrency: 4, archCheck: 'on-change', ...o });
const noRetry = <T>(_w: string, fn: () => Promise<T>) => fn();
const demand = (running: string[], anyNotRunning = false): RefDemand => ({ running: new Set(running), anyNotRunning });

function multiArch(reg: FakeRegistry, tag: string, version: string) {
  const amd = reg.image('app', 'amd64', `2026-01-0${version}T00:00:00Z`);
  const arm = reg.image('app', 'arm64', `2026-01-0${version}T00:00:00Z`);
  return { amd, arm, index: reg.index('app', tag, { amd64: amd, arm64: arm }) };
}

const t = suite('resolve-refs');

t('a tag whose digest matches what runs costs exactly one HEAD, index or not', async () => {
  const reg = new FakeRegistry();
  const { index } = multiArch(reg, 'v1', '1');
  const single = reg.image('tool', 'amd64', '2026-01-01T00:00:00Z', 'v1');
  const { results } = await resolveRefs(new Map([[`${R}/app:v1`, demand([index])], [`${R}/tool:v1`, demand([single])]]), opts(), { registry: reg, retry: noRetry });
  assert.equal(reg.calls.sort(), ['HEAD app:v1', 'HEAD tool:v1']);
  const r = results.get(`${R}/app:v1`)!;
  assert.ok(r.kind === 'resolved' && r.running[index] === 'current');
});

t('a re-pushed tag is stale for the cluster arch, dated from the config blob', async () => {
  const reg = new FakeRegistry();
  const v1 = multiArch(reg, 'v1', '1');
  multiArch(reg, 'v1', '2');
  const { results } = await resolveRefs(new Map([[`${R}/app:v1`, demand([v1.index])]]), opts(), { registry: reg, retry: noRetry });
  const r = results.get(`${R}/app:v1`)!;
  assert.ok(r.kind === 'resolved');
  if (r.kind !== 'resolved') return;
  assert.is(r.running[v1.index], 'stale');
  assert.is(r.createdAt, '2026-01-02T00:00:00.000Z');
  assert.is(r.createdFrom, 'config');
  assert.is(reg.calls.filter((c) => c.startsWith('HEAD')).length, 1);
});

t('re-pushing only the other architecture is not stale (per-platform compare)', async () => {
  const reg = new FakeRegistry();
  const v1 = multiArch(reg, 'v1', '1');
  const newArm = reg.image('app', 'arm64', '2026-01-05T00:00:00Z');
  const idx2 = reg.index('app', 'v1', { amd64: v1.amd, arm64: newArm });
  const { results } = await resolveRefs(new Map([[`${R}/app:v1`, demand([v1.index])]]), opts(), { registry: reg, retry: noRetry });
  const r = results.get(`${R}/app:v1`)!;
  assert.ok(r.kind === 'resolved' && r.tagDigest === idx2 && r.running[v1.index] === 'current');
  // ...while on arm64 the same change is stale
  const arm = await resolveRefs(new Map([[`${R}/app:v1`, demand([v1.index])]]), opts({ arch: 'arm64' }), { registry: reg, retry: noRetry });
  const a = arm.results.get(`${R}/app:v1`)!;
  assert.ok(a.kind === 'resolved' && a.running[v1.index] === 'stale');
});

t('an index without the cluster arch is flagged when read; on-change reads it only on a difference, always reads it', async () => {
  const reg = new FakeRegistry();
  const amd = reg.image('app', 'amd64', '2026-01-01T00:00:00Z');
  const idx = reg.index('app', 'amd-only', { amd64: amd });
  const quiet = await resolveRefs(new Map([[`${R}/app:amd-only`, demand([idx])]]), opts({ arch: 'arm64' }), { registry: reg, retry: noRetry });
  assert.ok(quiet.results.get(`${R}/app:amd-only`)!.kind === 'resolved');
  assert.is((quiet.results.get(`${R}/app:amd-only`) as { missingArch: boolean }).missingArch, false);
  const always = await resolveRefs(new Map([[`${R}/app:amd-only`, demand([idx])]]), opts({ arch: 'arm64', archCheck: 'always' }), { registry: reg, retry: noRetry });
  const r = always.results.get(`${R}/app:amd-only`)!;
  assert.ok(r.kind === 'resolved' && r.missingArch && r.running[idx] === 'missing-arch');
  const waiting = await resolveRefs(new Map([[`${R}/app:amd-only`, demand([idx], true)]]), opts({ arch: 'arm64' }), { registry: reg, retry: noRetry });
  assert.is((waiting.results.get(`${R}/app:amd-only`) as { missingArch: boolean }).missingArch, true);
});

t('unknown tags and auth failures are unresolvable with the reason; other refs still resolve', async () => {
  const reg = new FakeRegistry();
  const { index } = multiArch(reg, 'v1', '1');
  reg.failures.push((ref) => (ref.repository === 'private' ? new RegistryError('r.io', 401, 'requires credentials for private') : undefined));
  const { results } = await resolveRefs(new Map([[`${R}/app:v1`, demand([index])], [`${R}/app:gone`, demand([])], [`${R}/private:1`, demand([])]]), opts(), { registry: reg, retry: noRetry });
  assert.is(results.get(`${R}/app:v1`)!.kind, 'resolved');
  assert.match((results.get(`${R}/app:gone`) as { reason: string }).reason, /404/);
  assert.match((results.get(`${R}/private:1`) as { reason: string }).reason, /requires credentials/);
});

t('429 with Retry-After is retried after at least that long, then succeeds', async () => {
  const reg = new FakeRegistry();
  const { index } = multiArch(reg, 'v1', '1');
  let left = 2;
  reg.failures.push(() => (left-- > 0 ? new RegistryError('r.io', 429, 'rate limited', { retryAfterSeconds: 2 }) : undefined));
  const slept: number[] = [];
  const retry = <T>(_w: string, fn: () => Promise<T>) => registryRetry(fn, () => undefined, { sleep: async (ms) => void slept.push(ms), random: () => 0 });
  const { results } = await resolveRefs(new Map([[`${R}/app:v1`, demand([index])]]), opts(), { registry: reg, retry });
  assert.is(results.get(`${R}/app:v1`)!.kind, 'resolved');
  assert.equal(slept, [2000, 2000]);
});

t('concurrency is bounded and the shared index of two tags is read once', async () => {
  const reg = new FakeRegistry();
  const v1 = multiArch(reg, 'a', '1');
  reg.index('app', 'b', { amd64: v1.amd, arm64: v1.arm });
  multiArch(reg, 'a', '2');
  let inFlight = 0;
  let peak = 0;
  const retry = async <T>(_w: string, fn: () => Promise<T>) => {
    peak = Math.max(peak, ++inFlight);
    await new Promise((r) => setImmediate(r));
    try {
      return await fn();
    } finally {
      inFlight--;
    }
  };
  const refs = new Map<string, RefDemand>(Array.from({ length: 20 }, (_, i) => [`${R}/app:${i % 2 ? 'a' : 'b'}-${i}`, demand([])]));
  refs.set(`${R}/app:a`, demand([v1.index]));
  await resolveRefs(refs, opts({ concurrency: 3 }), { registry: reg, retry });
  assert.ok(peak <= 3, `peak ${peak}`);
  assert.is(reg.calls.filter((c) => c.startsWith('HEAD')).length, 21);
});

t.run();
