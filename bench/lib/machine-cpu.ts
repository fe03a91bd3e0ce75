/** Machine-wide CPU from /proc/stat (USER_HZ = 100): every process, ours and the control plane's. */
import { readFileSync } from 'node:fs';

/** Busy and total CPU time of all cores so far, in ms. */
export function machineCpuMs(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: (total - f[3]! - (f[4] ?? 0)) * 10, total: total * 10 };
}
