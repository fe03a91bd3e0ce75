/** Starts the components in order, each gated on its readiness probe, and stops them in reverse. */
import type { Component } from './args.ts';
import { apiserverArgs, controllerManagerArgs, etcdArgs, kwokArgs, registryArgs, schedulerArgs, startOrder } from './args.ts';
import type { BinaryPaths } from './binaries.ts';
import { ProcessExitedError, ReadinessTimeoutError } from './errors.ts';
import type { KubeClient } from './kube-client.ts';
import type { Layout } from './layout.ts';
import { isAlive, startDetached, stopProcess, tail, forgetPid } from './processes.ts';
import type { Probe } from './probes.ts';
import type { ProcessRecord } from './state.ts';
import { waitFor } from './wait.ts';

export interface PlaneConfig {
  readonly layout: Layout;
  readonly binaries: BinaryPaths;
  readonly kwokConfigs: readonly string[];
  readonly registryConfig?: string;
  readonly registryBinary?: string;
}

export function argvFor(c: Component, p: PlaneConfig): string[] {
  const l = p.layout;
  switch (c) {
    case 'registry':
      return [p.registryBinary ?? 'docker-registry', ...registryArgs(p.registryConfig ?? '')];
    case 'etcd':
      return [p.binaries.etcd, ...etcdArgs(l)];
    case 'kube-apiserver':
      return [p.binaries['kube-apiserver'], ...apiserverArgs(l)];
    case 'kube-controller-manager':
      return [p.binaries['kube-controller-manager'], ...controllerManagerArgs(l)];
    case 'kube-scheduler':
      return [p.binaries['kube-scheduler'], ...schedulerArgs(l)];
    case 'kwok':
      return [p.binaries.kwok, ...kwokArgs(l, p.kwokConfigs)];
  }
}

/** Readiness budget per component; the first apiserver start bootstraps RBAC and is the slowest. */
const readyTimeoutMs: Record<Component, number> = {
  registry: 15_000,
  etcd: 30_000,
  'kube-apiserver': 90_000,
  'kube-controller-manager': 60_000,
  'kube-scheduler': 60_000,
  kwok: 60_000,
};

export async function startComponent(c: Component, p: PlaneConfig, env: Record<string, string>): Promise<ProcessRecord> {
  const r = await startDetached({ name: c, argv: argvFor(c, p), logDir: p.layout.logs, pidDir: p.layout.pids, env, cwd: p.layout.dir });
  return { pid: r.pid, argv: r.argv, log: r.log };
}

export async function waitComponent(c: Component, rec: ProcessRecord, probe: Probe): Promise<void> {
  try {
    await waitFor(async () => ((await probe()) ? true : undefined), {
      what: `${c} to become ready`,
      timeoutMs: readyTimeoutMs[c],
      abortIf: async () => {
        if (!isAlive(rec.pid)) throw new ProcessExitedError(c, await tail(rec.log));
      },
    });
  } catch (err) {
    if (err instanceof ReadinessTimeoutError) err.message += `\n${c} log tail:\n${await tail(rec.log)}`;
    throw err;
  }
}

/** The ServiceAccount admission plugin rejects pods until kcm has created sa/default. */
export async function waitDefaultServiceAccount(client: KubeClient): Promise<void> {
  await waitFor(
    async () => ((await client.raw('GET', '/api/v1/namespaces/default/serviceaccounts/default')).status === 200 ? true : undefined),
    { what: 'serviceaccount default/default', timeoutMs: 60_000 },
  );
}

export async function stopComponents(
  processes: Partial<Record<Component, ProcessRecord>>,
  pidDir: string,
  only?: readonly Component[],
): Promise<void> {
  for (const c of [...startOrder].reverse()) {
    if (only && !only.includes(c)) continue;
    const rec = processes[c];
    if (!rec) continue;
    await stopProcess(rec.pid);
    await forgetPid(pidDir, c);
  }
}
