/**
 * Shared by the *.cluster.test.ts files: attach to the harness named by STATELESS_CI_HARNESS_DIR,
 * or (inside an isolated netns only) start one for this file and tear it down afterwards.
 */
import { execFile } from 'node:child_process';
import { KubeConfig } from '@kubernetes/client-node';
import { Kube } from '@stateless-ci/core';
import { attach, inIsolatedNetns, up, type Harness, type HarnessError } from './src/index.ts';

export interface Fixture {
  readonly h: Harness;
  readonly owned: boolean;
}

export async function openHarness(): Promise<Fixture> {
  const dir = process.env.STATELESS_CI_HARNESS_DIR;
  if (dir) return { h: await attach(dir), owned: false };
  if (!inIsolatedNetns()) {
    throw new Error('cluster tests need STATELESS_CI_HARNESS_DIR or an isolated network namespace (ip netns exec ...)');
  }
  return { h: await up({ profile: 'theia-prod', nodes: 3 }), owned: true };
}

export async function closeHarness(f: Fixture | undefined): Promise<void> {
  if (!f) return;
  if (f.owned) await f.h.down();
  else f.h.client.close();
}

/** The tool's own kube client, on the harness's kubeconfig and context. Close it when done. */
export function harnessKube(h: Harness): Kube {
  const kc = new KubeConfig();
  kc.loadFromFile(h.kubeconfig);
  kc.setCurrentContext(h.context);
  return new Kube(kc);
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs kubectl/helm/... with the harness environment (PATH has the pinned binaries first). */
export function cli(h: Harness, argv: readonly string[], cwd?: string): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(argv[0]!, argv.slice(1), { env: { ...process.env, ...h.env() }, cwd, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export async function cliOk(h: Harness, argv: readonly string[], cwd?: string): Promise<string> {
  const r = await cli(h, argv, cwd);
  if (r.code !== 0) throw new Error(`${argv.join(' ')} failed (${r.code}):\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

let counter = 0;
/** A fresh namespace per test, created and waited for its default ServiceAccount. */
export async function freshNamespace(h: Harness, prefix: string): Promise<string> {
  const name = `${prefix}-${process.pid}-${++counter}`;
  await h.client.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  const { watchUntil } = await import('./src/watch-until.ts');
  await watchUntil(h.client, `/api/v1/namespaces/${name}/serviceaccounts`, (m) => m.has('default'), `sa/default in ${name}`, 30_000);
  return name;
}

export type { HarnessError };
