/**
 * The per-run network namespace for cluster suites: only `lo`, plus a non-loopback /32 on it for the
 * API server's advertise address. No other link, no route out, so a dial to a Service or pod IP
 * fails at once inside it.
 */
import { execFileSync } from 'node:child_process';

export const ADVERTISE_ADDRESS = '198.18.0.2';

export function createTestNetns(name: string): void {
  execFileSync('ip', ['netns', 'add', name]);
  execFileSync('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  execFileSync('ip', ['-n', name, 'addr', 'add', `${ADVERTISE_ADDRESS}/32`, 'dev', 'lo']);
}

export function deleteTestNetns(name: string): void {
  try {
    // Kill anything left inside before removing the namespace.
    const pids = execFileSync('ip', ['netns', 'pids', name], { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const pid of pids) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    execFileSync('ip', ['netns', 'delete', name]);
  } catch {
    /* already deleted */
  }
}

/** Links present in a namespace, e.g. ['lo']. */
export function netnsLinks(name: string): string[] {
  const out = execFileSync('ip', ['-n', name, '-o', 'link', 'show'], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(':')[1]!.trim().split('@')[0]!);
}
