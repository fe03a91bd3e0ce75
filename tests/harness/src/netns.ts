/**
 * Network-namespace isolation. Tests and the control plane run in a namespace holding only `lo`
 * (plus a non-loopback /32 on lo for --advertise-address), so nothing can reach beyond 127.0.0.0/8.
 */
import { readFileSync, readlinkSync, statSync } from 'node:fs';
import { currentNetns } from '@stateless-ci/core';
import { HostNetnsError } from './errors.ts';
import { defaultAdvertiseAddress, podCidr, serviceCidr } from './layout.ts';
import type { Runner } from './run.ts';
import { run as defaultRun } from './run.ts';

const netnsDir = '/run/netns';

/** Interfaces of this process's network namespace, from /proc/self/net/dev (per-namespace). */
export function ownInterfaces(): string[] {
  try {
    return readFileSync('/proc/self/net/dev', 'utf8')
      .split('\n')
      .slice(2)
      .map((l) => l.split(':')[0]!.trim())
      .filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * True when this process is not in the host's network namespace. Compares /proc/self/ns/net with
 * /proc/1/ns/net; where PID 1's link is unreadable (some VMs deny it even to root), falls back
 * to "this is a named `ip netns`" or "the only interface is lo".
 */
export function inIsolatedNetns(): boolean {
  let self: string;
  try {
    self = readlinkSync('/proc/self/ns/net');
  } catch {
    return false;
  }
  try {
    return self !== readlinkSync('/proc/1/ns/net');
  } catch {
    /* PID 1 not readable: fall through */
  }
  if (currentNetnsName() !== undefined) return true;
  const ifaces = ownInterfaces();
  return ifaces.length > 0 && ifaces.every((i) => i === 'lo');
}

/** The `ip netns` name of the namespace this process is in, if it has one. */
export function currentNetnsName(): string | undefined {
  return currentNetns() || undefined;
}

export function netnsExists(name: string): boolean {
  try {
    statSync(`${netnsDir}/${name}`);
    return true;
  } catch {
    return false;
  }
}

/** `ip netns add NAME`, lo up, and the advertise /32 on lo. Idempotent. */
export async function createNetns(name: string, advertiseAddress = defaultAdvertiseAddress, run: Runner = defaultRun): Promise<void> {
  if (!netnsExists(name)) await run(['ip', 'netns', 'add', name]);
  await run(['ip', '-n', name, 'link', 'set', 'lo', 'up']);
  await run(['ip', '-n', name, 'addr', 'replace', `${advertiseAddress}/32`, 'dev', 'lo']);
}

export async function deleteNetns(name: string, run: Runner = defaultRun): Promise<void> {
  if (netnsExists(name)) await run(['ip', 'netns', 'delete', name]);
}

/** Inside the namespace: make sure lo is up and carries the advertise address. */
export async function prepareOwnNetns(advertiseAddress: string, run: Runner = defaultRun): Promise<void> {
  await run(['ip', 'link', 'set', 'lo', 'up']);
  await run(['ip', 'addr', 'replace', `${advertiseAddress}/32`, 'dev', 'lo']);
}

export async function hasDefaultRoute(run: Runner = defaultRun): Promise<boolean> {
  const v4 = await run(['ip', '-4', 'route', 'show', 'default']);
  const v6 = await run(['ip', '-6', 'route', 'show', 'default'], { allowFailure: true });
  return v4.stdout.trim() !== '' || v6.stdout.trim() !== '';
}

/** Routes added in host-netns mode so the fake service/pod CIDRs fail locally instead of leaving. */
export const hostBlackholes: readonly string[] = [serviceCidr, podCidr, `${defaultAdvertiseAddress}/32`];

export interface IsolationDecision {
  readonly mode: 'netns' | 'host';
  readonly netns?: string;
}

/**
 * Refuses the host namespace unless STATELESS_CI_ALLOW_HOST_NETNS=1; in that case warns and
 * returns mode 'host' (the caller then adds `hostBlackholes` as unreachable routes).
 */
export function decideIsolation(env: Readonly<Record<string, string | undefined>>, warn: (l: string) => void): IsolationDecision {
  if (inIsolatedNetns()) return { mode: 'netns', netns: currentNetnsName() };
  if (env.STATELESS_CI_ALLOW_HOST_NETNS === '1') {
    warn(
      'WARNING: running the harness in the HOST network namespace (STATELESS_CI_ALLOW_HOST_NETNS=1). ' +
        `Adding unreachable routes for ${hostBlackholes.join(', ')}; anything else non-loopback is NOT contained.`,
    );
    return { mode: 'host' };
  }
  throw new HostNetnsError(
    'refusing to start the test control plane in the host network namespace: it would dial 10.x service/pod ' +
      'addresses that route off this machine. Run inside an isolated namespace, e.g.\n' +
      '  ip netns add t1 && ip netns exec t1 <command>\n' +
      'or use `pnpm sandbox up`. Set STATELESS_CI_ALLOW_HOST_NETNS=1 to override (adds unreachable routes).',
  );
}

export async function addBlackholes(run: Runner = defaultRun): Promise<string[]> {
  for (const cidr of hostBlackholes) await run(['ip', 'route', 'replace', 'unreachable', cidr]);
  return [...hostBlackholes];
}

export async function removeBlackholes(cidrs: readonly string[], run: Runner = defaultRun): Promise<void> {
  for (const cidr of cidrs) await run(['ip', 'route', 'del', 'unreachable', cidr], { allowFailure: true });
}
