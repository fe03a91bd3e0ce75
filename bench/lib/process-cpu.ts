/**
 * CPU per process from /proc, grouped by program: where a run's machine CPU went (the API server,
 * etcd, the controllers, this process, the helm/kubectl processes it ran). Processes are keyed by
 * pid, not name: kernel workers rename themselves as they take other work.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** USER_HZ is 100 on Linux: one tick is 10 ms. */
const TICK_MS = 10;

export interface ProcessCpu {
  /** pid → [program, CPU ms of the process itself]. */
  readonly byPid: ReadonlyMap<number, readonly [string, number]>;
  /** This process's own CPU and its reaped children's (helm, kubectl), in ms. */
  readonly self: number;
  readonly children: number;
}

function statOf(pid: number | 'self'): { comm: string; ppid: number; own: number; children: number } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const comm = s.slice(s.indexOf('(') + 1, s.lastIndexOf(')'));
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { comm, ppid: Number(f[1]), own: (Number(f[11]) + Number(f[12])) * TICK_MS, children: (Number(f[13]) + Number(f[14])) * TICK_MS };
  } catch {
    return undefined; // exited meanwhile
  }
}

export function processCpu(): ProcessCpu {
  const byPid = new Map<number, readonly [string, number]>();
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p) || Number(p) === process.pid) continue;
    const s = statOf(Number(p));
    if (!s) continue;
    // Kernel threads are children of kthreadd (pid 2).
    byPid.set(Number(p), [s.ppid === 2 || Number(p) === 2 ? 'kernel' : s.comm, s.own]);
  }
  const me = statOf('self')!;
  return { byPid, self: me.own, children: me.children };
}

/** CPU ms per program between two readings. Pure. Processes that started in between count whole. */
export function cpuBetween(a: ProcessCpu, b: ProcessCpu): Record<string, number> {
  const out: Record<string, number> = { 'this process': b.self - a.self, 'its helm/kubectl processes': b.children - a.children };
  for (const [pid, [name, ms]] of b.byPid) {
    const d = ms - (a.byPid.get(pid)?.[1] ?? 0);
    if (d > 0) out[name] = (out[name] ?? 0) + d;
  }
  return out;
}
