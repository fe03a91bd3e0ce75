/**
 * Entering the sandbox. `pnpm sandbox env` exports STATELESS_CI_NETNS; an entry point started
 * outside that network namespace re-runs itself inside it (`ip netns exec`), so the unchanged
 * `pnpm deploy:amd` talks to the sandbox's API server on its loopback.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';

export interface NetnsIO {
  /** Name of the named netns this process is in, or '' (`ip netns identify`). */
  identify(): string;
  /** Runs argv inside the namespace with stdio inherited; returns its exit status. */
  exec(name: string, argv: readonly string[]): number;
}

/**
 * The named network namespace this process is in, or '': what `ip netns identify` does, without
 * starting it (~5 ms on every command). A name under /run/netns is a bind mount of the namespace,
 * so it has the same device and inode as /proc/self/ns/net.
 */
export function currentNetns(): string {
  try {
    const self = statSync('/proc/self/ns/net');
    for (const name of readdirSync('/run/netns')) {
      const s = statSync(`/run/netns/${name}`, { throwIfNoEntry: false });
      if (s && s.dev === self.dev && s.ino === self.ino) return name;
    }
  } catch {
    // no /run/netns: no named namespace
  }
  return '';
}

export const realNetnsIO: NetnsIO = {
  identify: currentNetns,
  exec: (name, argv) => spawnSync('ip', ['netns', 'exec', name, ...argv], { stdio: 'inherit' }).status ?? 1,
};

/** Pure decision: re-run inside `wanted`, or stay. */
export function shouldEnterNetns(wanted: string | undefined, current: string): boolean {
  return Boolean(wanted) && wanted !== current;
}

/**
 * How to start this command again: STATELESS_CI_RELAUNCH (a JSON array, set by scripts/run.mjs:
 * itself and the command's name, since the bundle it runs sets argv[1] to a .mts file that plain
 * node cannot start), else node's own flags and script. Pure.
 */
export function relaunchArgs(env: NodeJS.ProcessEnv, execArgv: readonly string[], argv: readonly string[]): string[] {
  const launcher = env.STATELESS_CI_RELAUNCH ? (JSON.parse(env.STATELESS_CI_RELAUNCH) as string[]) : [...execArgv, argv[1]!];
  return [...launcher, ...argv.slice(2)];
}

/** Re-runs this process inside STATELESS_CI_NETNS when asked to; returns the exit status, or undefined to go on here. */
export function enterNetnsIfAsked(env: NodeJS.ProcessEnv = process.env, io: NetnsIO = realNetnsIO): number | undefined {
  const wanted = env.STATELESS_CI_NETNS;
  if (!shouldEnterNetns(wanted, io.identify())) return undefined;
  return io.exec(wanted!, [process.execPath, ...relaunchArgs(env, process.execArgv, process.argv)]);
}
