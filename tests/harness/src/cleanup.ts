/**
 * Teardown on abnormal exit. A harness started by up() in this process is registered here;
 * SIGINT/SIGTERM run its async down() and then exit, and a plain process exit (uncaught error,
 * process.exit) kills its process groups synchronously and removes its state dir.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { killNow } from './processes.ts';

export interface Cleanable {
  readonly dir: string;
  pids(): number[];
  blackholes(): readonly string[];
  down(): Promise<void>;
}

const live = new Set<Cleanable>();
let installed = false;

function onExit(): void {
  for (const h of live) {
    for (const pid of h.pids()) killNow(pid);
    for (const cidr of h.blackholes()) {
      try {
        execFileSync('ip', ['route', 'del', 'unreachable', cidr], { stdio: 'ignore' });
      } catch {
        /* already gone */
      }
    }
    rmSync(h.dir, { recursive: true, force: true });
  }
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  const code = signal === 'SIGINT' ? 130 : 143;
  process.stderr.write(`[harness] ${signal}: tearing down ${live.size} harness(es)\n`);
  void Promise.allSettled([...live].map((h) => h.down())).finally(() => process.exit(code));
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', onExit);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off('exit', onExit);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.off('SIGHUP', onSignal);
}

export function registerCleanup(h: Cleanable): void {
  live.add(h);
  install();
}

export function unregisterCleanup(h: Cleanable): void {
  live.delete(h);
  if (live.size === 0) uninstall();
}
