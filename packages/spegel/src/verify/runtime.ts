/**
 * Pure: the container runtime each eligible node reports (node.status.nodeInfo, already in the
 * node list: no per-node call). Spegel v0.7.x needs containerd 2.1 or newer (upstream.md 1.4,
 * code-derived: content events and hosts.toml dial_timeout), and only works with containerd.
 */
import { fail, pass, skip, warn, type Check } from '@stateless-ci/core';
import { nameList } from './coverage.ts';
import type { NodeLike } from './scheduling.ts';

export const RUNTIME_CHECK = 'spegel.containerd-version';

export type Runtime = { readonly kind: 'containerd'; readonly major: number; readonly minor: number; readonly version: string } | { readonly kind: 'other'; readonly version: string };

export function parseRuntime(v: string | undefined): Runtime {
  const m = /^containerd:\/\/v?(\d+)\.(\d+)(\S*)$/.exec(v ?? '');
  if (!m) return { kind: 'other', version: v || '(none)' };
  return { kind: 'containerd', major: Number(m[1]), minor: Number(m[2]), version: `${m[1]}.${m[2]}${m[3]}` };
}

export const atLeast = (r: Runtime, major: number, minor: number): boolean => r.kind === 'containerd' && (r.major > major || (r.major === major && r.minor >= minor));

export function runtimeCheck(eligible: readonly NodeLike[]): Check {
  const old: string[] = [];
  const other: string[] = [];
  for (const n of eligible) {
    const r = parseRuntime(n.status?.nodeInfo?.containerRuntimeVersion);
    if (r.kind === 'other') other.push(`${n.metadata.name} (${r.version})`);
    else if (!atLeast(r, 2, 1)) old.push(`${n.metadata.name} (containerd ${r.version})`);
  }
  if (eligible.length > 0 && other.length === eligible.length) {
    return skip(RUNTIME_CHECK, `no node reports containerd (${nameList(other)}): simulated nodes or another runtime; Spegel needs containerd`);
  }
  if (old.length > 0) {
    return fail(RUNTIME_CHECK, `Spegel v0.7 needs containerd 2.1 or newer; older on: ${nameList(old)}; upgrade containerd on those nodes`, old.map((x) => x.split(' ')[0]!));
  }
  if (other.length > 0) return warn(RUNTIME_CHECK, `nodes without containerd cannot use Spegel: ${nameList(other)}`, other.map((x) => x.split(' ')[0]!));
  return pass(RUNTIME_CHECK, `all ${eligible.length} eligible nodes run containerd 2.1 or newer`);
}
