/**
 * Long-running components: spawned detached (own process group) with stdout+stderr in
 * <dir>/logs/<name>.log and the pid in <dir>/pids/<name>.pid, so another process can stop them.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { delay } from './wait.ts';

export interface ProcessSpec {
  readonly name: string;
  readonly argv: readonly string[];
  readonly logDir: string;
  readonly pidDir: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
}

export interface RunningProcess {
  readonly name: string;
  readonly pid: number;
  readonly argv: readonly string[];
  readonly log: string;
}

export const logPath = (logDir: string, name: string): string => join(logDir, `${name}.log`);
const pidPath = (pidDir: string, name: string): string => join(pidDir, `${name}.pid`);

export async function startDetached(spec: ProcessSpec): Promise<RunningProcess> {
  await mkdir(spec.logDir, { recursive: true });
  await mkdir(spec.pidDir, { recursive: true });
  const log = logPath(spec.logDir, spec.name);
  const fd = openSync(log, 'a');
  const [cmd, ...args] = spec.argv;
  if (!cmd) throw new Error(`${spec.name}: empty argv`);
  try {
    const child = spawn(cmd, args, {
      detached: true,
      stdio: ['ignore', fd, fd],
      env: (spec.env ?? process.env) as NodeJS.ProcessEnv,
      cwd: spec.cwd,
    });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('spawn', () => resolve(child.pid!));
      child.once('error', reject);
    });
    child.unref();
    await writeFile(pidPath(spec.pidDir, spec.name), `${pid}\n`);
    return { name: spec.name, pid, argv: spec.argv, log };
  } finally {
    closeSync(fd);
  }
}

/** True while the pid exists and is not a zombie (a reparented child nobody reaped yet). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal); // the whole process group (spawned detached => group leader)
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

/** SIGTERM, wait up to `graceMs` with backoff, then SIGKILL the process group. */
export async function stopProcess(pid: number, graceMs = 5000): Promise<void> {
  if (!isAlive(pid)) return;
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  let pause = 10;
  while (isAlive(pid) && Date.now() < deadline) {
    await delay(pause);
    pause = Math.min(pause * 2, 200);
  }
  if (isAlive(pid)) {
    signalGroup(pid, 'SIGKILL');
    while (isAlive(pid)) await delay(10);
  }
}

/** Synchronous last-resort kill, safe to call from a process 'exit' handler. */
export function killNow(pid: number): void {
  signalGroup(pid, 'SIGKILL');
}

export async function readPid(pidDir: string, name: string): Promise<number | undefined> {
  try {
    const n = Number((await readFile(pidPath(pidDir, name), 'utf8')).trim());
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

export async function forgetPid(pidDir: string, name: string): Promise<void> {
  await rm(pidPath(pidDir, name), { force: true });
}

export function forgetPidSync(pidDir: string, name: string): void {
  rmSync(pidPath(pidDir, name), { force: true });
}

export async function tail(file: string, lines = 40): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
