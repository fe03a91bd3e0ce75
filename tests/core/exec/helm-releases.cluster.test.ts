// The release store reads helm's records from the API; these tests hold it to what the helm CLI
// itself answers for the same real releases (installed, upgraded, failed, missing). The last tests
// hold `upgradeInstall` to its choice between `helm install` and `helm upgrade --install`.
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Helm, HelmReleaseStore, createShell } from '@stateless-ci/core';
import { closeHarness, freshNamespace, harnessKube, openHarness, type Fixture } from '../../harness/fixture.ts';

interface Ctx {
  f?: Fixture;
  tmp?: string;
  cli?: Helm;
  api?: Helm;
  /** Like `cli`, through a wrapper that logs each helm command's first two words. */
  rec?: Helm;
  calls?: string;
  ns?: string;
}
const t = suite<Ctx>('helm release store against the helm CLI');

t.before(async (c) => {
  c.f = await openHarness();
  c.tmp = await mkdtemp(join(tmpdir(), 'helm-store-'));
  const chart = join(c.tmp, 'demo');
  await mkdir(join(chart, 'templates'), { recursive: true });
  await writeFile(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: demo\nversion: 1.2.3\nappVersion: "9.9"\n');
  // `name` lets a test make the install fail (an invalid object name is refused by the API server).
  await writeFile(join(chart, 'templates', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name | default "demo" }}\ndata:\n  a: {{ .Values.a | quote }}\n');
  const env = { ...process.env, ...c.f.h.env() };
  const target = { kubeconfig: c.f.h.kubeconfig, context: c.f.h.context };
  c.cli = new Helm(createShell(env), target);
  c.api = new Helm(createShell(env), target, undefined, 'helm', undefined, new HelmReleaseStore(harnessKube(c.f.h)));
  c.calls = join(c.tmp, 'calls');
  const wrapper = join(c.tmp, 'helm-rec');
  await writeFile(wrapper, `#!/bin/sh\necho "$1 $2" >> '${c.calls}'\nexec helm "$@"\n`);
  await chmod(wrapper, 0o755);
  c.rec = new Helm(createShell(env), target, undefined, wrapper);
  c.ns = await freshNamespace(c.f.h, 'helm-store');
});

t.after(async (c) => {
  if (c.tmp) await rm(c.tmp, { recursive: true, force: true });
  await closeHarness(c.f);
});

const chartOf = (c: Ctx) => ({ ref: join(c.tmp!, 'demo'), version: '1.2.3', plainHttp: false, mirrored: false });

async function same(c: Ctx, release: string): Promise<void> {
  const [s1, s2] = await Promise.all([c.cli!.status(release, c.ns!), c.api!.status(release, c.ns!)]);
  assert.equal(s2, s1, 'status');
  const [h1, h2] = await Promise.all([c.cli!.history(release, c.ns!), c.api!.history(release, c.ns!)]);
  assert.equal(h2, h1, 'history');
  if (h1.length === 0) return;
  assert.equal(await c.api!.getValues(release, c.ns!), await c.cli!.getValues(release, c.ns!), 'values');
  assert.is(await c.api!.getManifest(release, c.ns!), await c.cli!.getManifest(release, c.ns!), 'manifest');
}

t('a missing release: no status and no history from either', async (c) => {
  await same(c, 'absent');
  assert.is(await c.api!.status('absent', c.ns!), undefined);
});

t('installed, then upgraded: the same status, history, values and manifest as helm reports', async (c) => {
  await c.cli!.upgradeInstall({ release: 'r1', namespace: c.ns!, chart: chartOf(c), values: { a: 'one' } });
  await same(c, 'r1');
  await c.cli!.upgradeInstall({ release: 'r1', namespace: c.ns!, chart: chartOf(c), values: { a: 'two', nested: { b: [1, 2] } } });
  await same(c, 'r1');
  const st = await c.api!.status('r1', c.ns!);
  assert.equal([st?.revision, st?.status, st?.chart, st?.appVersion], [2, 'deployed', 'demo-1.2.3', '9.9']);
  assert.equal(await c.api!.getValues('r1', c.ns!), { a: 'two', nested: { b: [1, 2] } });
});

t('a failed upgrade is listed as failed, with its history, like helm', async (c) => {
  const failed = await c.cli!.upgradeInstall({ release: 'r1', namespace: c.ns!, chart: chartOf(c), values: { a: 'three', name: 'Not_A_Valid_Name' } }).then(
    () => 'succeeded',
    (e: Error) => e.message,
  );
  assert.match(failed, /UPGRADE FAILED/);
  await same(c, 'r1');
  assert.is((await c.api!.status('r1', c.ns!))?.status, 'failed');
  assert.equal((await c.api!.history('r1', c.ns!)).map((h) => h.status), ['superseded', 'deployed', 'failed']);
});

t('after uninstall: gone for both', async (c) => {
  await c.cli!.uninstall('r1', c.ns!);
  await same(c, 'r1');
  assert.is(await c.api!.status('r1', c.ns!), undefined);
});

const calls = async (c: Ctx): Promise<string[]> => {
  const text = await readFile(c.calls!, 'utf8').catch(() => '');
  await rm(c.calls!, { force: true });
  return text.split('\n').filter(Boolean);
};

t('told the release is absent: one `helm install`, and the release helm reports', async (c) => {
  await c.rec!.upgradeInstall({ release: 'r3', namespace: c.ns!, chart: chartOf(c), values: { a: 'fresh', name: 'fresh' }, absent: true });
  assert.equal(await calls(c), ['install r3']);
  await same(c, 'r3');
  const st = await c.api!.status('r3', c.ns!);
  assert.equal([st?.revision, st?.status], [1, 'deployed']);
});

t('told absent while helm keeps the name in history: install is refused, upgrade --install runs', async (c) => {
  await promisify(execFile)('helm', ['uninstall', 'r3', '--keep-history', '--namespace', c.ns!, '--kubeconfig', c.f!.h.kubeconfig, '--kube-context', c.f!.h.context], { env: { ...process.env, ...c.f!.h.env() } });
  assert.is(await c.api!.status('r3', c.ns!), undefined, 'an uninstalled revision is not listed');
  await c.rec!.upgradeInstall({ release: 'r3', namespace: c.ns!, chart: chartOf(c), values: { a: 'again', name: 'fresh' }, absent: true });
  assert.equal(await calls(c), ['install r3', 'upgrade --install']);
  const st = await c.api!.status('r3', c.ns!);
  assert.equal([st?.revision, st?.status], [2, 'deployed']);
  assert.equal(await c.api!.getValues('r3', c.ns!), { a: 'again', name: 'fresh' });
});

t('not told absent: `upgrade --install`, as before', async (c) => {
  await c.rec!.upgradeInstall({ release: 'r3', namespace: c.ns!, chart: chartOf(c), values: { a: 'third', name: 'fresh' } });
  assert.equal(await calls(c), ['upgrade --install']);
  assert.is((await c.api!.status('r3', c.ns!))?.revision, 3);
});

t.run();
