// pnpm deploy:amd and pnpm verify:amd as a user runs them (child processes through scripts/run.mjs,
// which runs each command from its bundle, as package.json does), with the real
// components, against the harness. Components whose upstream content is not in the harness
// registry (Spegel and ARC without a local checkout) are switched off in a copy of the cluster
// file; the digester's content comes from the Go module proxy, so it always takes part.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { stringify, parse } from 'yaml';
import { loadClusterFile, nodeClusterFileIO, type ComponentName } from '@stateless-ci/core';
import { attach, auditEvents, auditMark, isClientWrite, startStandIns, type Harness, type StandIns } from '../harness/src/index.ts';
import { ensureThrowawayCredentials, sourcesAvailable } from '../../scripts/lib/sandbox-sources.ts';

const root = path.resolve(import.meta.dirname, '../..');

interface Ctx {
  h: Harness;
  dir: string;
  clusterFile: string;
  env: NodeJS.ProcessEnv;
  enabled: ComponentName[];
  standIns: StandIns;
}
const test = suite<Ctx>('pnpm deploy:amd / verify:amd on the harness');

/** Runs a command (scripts/<name>.mts) as a child process, bundled. Asynchronous: the stand-ins run in this process and must keep reacting. */
function run(argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'scripts/run.mjs'), ...argv], { cwd: root, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const cli = (c: Ctx, script: string, args: string[], env: NodeJS.ProcessEnv = c.env) => run([script.replace(/\.mts$/, ''), '--cluster', c.clusterFile, ...args], env);

test.before(async (c) => {
  c.h = await attach(process.env.STATELESS_CI_HARNESS_DIR!);
  c.dir = mkdtempSync(path.join(tmpdir(), 'deploy-cli-'));
  c.env = { ...process.env, ...c.h.env(), NO_COLOR: '1', CI: '1' };
  delete c.env.STATELESS_CI_NETNS; // already inside the harness namespace
  ensureThrowawayCredentials(c.env);
  const base = await loadClusterFile('theia-prod', path.join(root, 'clusters'), nodeClusterFileIO);
  const missing = await sourcesAvailable(base, c.env);
  const raw = parse(readFileSync(base.file, 'utf8')) as Record<string, Record<string, unknown>>;
  for (const [name, why] of missing) if (why) raw[name]!.enabled = false;
  c.enabled = (['spegel', 'digester', 'arc'] as const).filter((n) => !missing.get(n));
  c.clusterFile = path.join(c.dir, 'theia-prod.yaml');
  writeFileSync(c.clusterFile, stringify(raw));
  c.standIns = startStandIns(c.h);
});

test.after(async (c) => {
  for (const name of [...c.enabled].reverse()) await run(['task', name, 'uninstall', '--cluster', c.clusterFile], c.env);
  await c.standIns.stop();
  rmSync(c.dir, { recursive: true, force: true });
  c.h.client.close();
});

test('the digester takes part (its content comes from the Go module proxy)', async (c) => {
  assert.ok(c.enabled.includes('digester'), `enabled: ${c.enabled.join(', ')}`);
});

test('a wrong kube context is refused with exit 3, naming both; nothing is written', async (c) => {
  const kc = parse(readFileSync(c.h.kubeconfig, 'utf8')) as { contexts: { name: string; context: unknown }[]; 'current-context': string };
  kc.contexts.push({ name: 'parma', context: kc.contexts[0]!.context });
  kc['current-context'] = 'parma';
  const other = path.join(c.dir, 'kubeconfig-parma');
  writeFileSync(other, stringify(kc), { mode: 0o600 });
  const r = await cli(c, 'deploy-amd.mts', ['--kubeconfig', other]);
  assert.is(r.code, 3, r.stderr);
  assert.match(r.stderr, /refusing to act on kube context "parma".*belongs to "theia-prod"/);
  // --context names it explicitly: the guard steps aside (dry run: no writes either way).
  const explicit = await cli(c, 'deploy-amd.mts', ['--kubeconfig', other, '--context', 'parma', '--dry-run']);
  assert.is(explicit.code, 2, explicit.stderr);
});

test('missing credentials stop the deploy before any change (no writes, the variable named)', async (c) => {
  // The full cluster file, ARC included, whatever upstream content the harness has.
  const env = { ...c.env };
  delete env.GITHUB_APP_PRIVATE_KEY;
  const mark = await auditMark(c.h.auditLog);
  const r = await run(['deploy-amd'], env);
  assert.ok(r.code === 2 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
  if (c.enabled.includes('arc') && c.enabled.includes('spegel')) assert.is(r.code, 2, 'only input problems: exit 2');
  assert.match(r.stderr, /arc\.credentials\.privateKey: environment variable GITHUB_APP_PRIVATE_KEY is not set/);
  assert.match(r.stderr, /nothing was changed/);
  assert.equal((await auditEvents(c.h.auditLog, mark)).filter(isClientWrite).map((e) => e.requestURI), []);
});

test('--dry-run on a fresh cluster prints the plan and exits 2; nothing is written', async (c) => {
  const mark = await auditMark(c.h.auditLog);
  const r = await cli(c, 'deploy-amd.mts', ['--dry-run']);
  assert.is(r.code, 2, r.stderr);
  for (const n of c.enabled) assert.match(r.stdout, new RegExp(`^${n}: \\d+ changes?`, 'm'));
  assert.equal((await auditEvents(c.h.auditLog, mark)).filter(isClientWrite).map((e) => e.requestURI), []);
});

/**
 * Checks that cannot pass on simulated nodes, and why: the scale set registers with GitHub (not
 * reachable) before the controller creates its listener; the webhook probe needs the digester's
 * pod, which the API server reaches over the pod network (none in the namespace), so the webhook
 * fails open. Any other failing check fails this test.
 */
const NEEDS_GITHUB_OR_POD_NETWORK = ['arc.scale-set-registered', 'arc.scale-set-running', 'arc.listener-running', 'digester.pins-runner-pods'];

test('deploy installs every enabled component in order; verify fails only where the harness cannot', async (c) => {
  const r = await cli(c, 'deploy-amd.mts', ['--json']);
  const report = JSON.parse(r.stdout) as { outcome: string; changed: string[]; rolledBack: string[]; error?: string; checks: { name: string; status: string }[] };
  assert.equal(report.changed, c.enabled, r.stderr.slice(-2000));
  assert.equal(report.rolledBack, []);
  const failing = report.checks.filter((x) => x.status === 'fail').map((x) => x.name);
  assert.equal(failing.filter((n) => !NEEDS_GITHUB_OR_POD_NETWORK.includes(n)), [], `unexpected failing checks: ${failing.join(', ')}`);
  if (failing.length === 0) {
    assert.is(report.outcome, 'succeeded');
    assert.is(r.code, 0);
  } else {
    assert.is(report.outcome, 'failed');
    assert.match(report.error ?? '', /^verification failed: /);
    assert.is(r.code, 1);
  }
  assert.ok(report.checks.some((x) => x.name.startsWith('digester.') && x.status === 'pass'), 'digester checks ran and some pass');
});

test('a no-op redeploy makes zero writes and says so', async (c) => {
  const mark = await auditMark(c.h.auditLog);
  const r = await cli(c, 'deploy-amd.mts', []);
  assert.is(r.code, 0, r.stderr.slice(-2000));
  assert.match(r.stderr, /no-change/);
  assert.match(r.stderr, /nothing to change: no writes were made/);
  assert.equal((await auditEvents(c.h.auditLog, mark)).filter(isClientWrite).map((e) => `${e.verb} ${e.requestURI}`), []);
  assert.is((await cli(c, 'deploy-amd.mts', ['--dry-run'])).code, 0);
});

test('verify:amd reports every component and the cross-component checks as JSON', async (c) => {
  const r = await cli(c, 'verify.mts', ['--json']);
  const report = JSON.parse(r.stdout) as { healthy: boolean; checks: { name: string; status: string; detail: string }[] };
  assert.is(r.code, report.healthy ? 0 : 1);
  for (const n of c.enabled) assert.ok(report.checks.some((x) => x.name.startsWith(`${n}.`)), `no ${n} checks`);
  const pin = report.checks.find((x) => x.name === 'cross.digester-pins-runner-image');
  assert.ok(pin, 'cross check present');
});

test.run();
