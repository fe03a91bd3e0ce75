/**
 * The kubelet stand-ins in a process of their own, as the sandbox runs them: they play the
 * cluster's nodes, so they must behave the same whatever the measured client does. In the
 * benchmark's own process they would share our deploy's event loop, and stop dead while the
 * baseline blocks it in spawnSync (its k8s-digester pod would then never start during its run).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

export interface StandInsProcess {
  readonly pid: number;
  stop(): Promise<void>;
}

export function startStandInsProcess(harnessDir: string, log: (line: string) => void): Promise<StandInsProcess> {
  const main = path.resolve(import.meta.dirname, '../../tests/harness/src/stand-ins/main.mts');
  const child = spawn(process.execPath, ['--import', 'tsx', main, harnessDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let ready = false;
    const onLine = (b: Buffer) => {
      for (const line of b.toString().split('\n').filter(Boolean)) {
        if (!ready && line.includes('stand-ins ready')) {
          ready = true;
          resolve({
            pid: child.pid!,
            async stop() {
              child.kill('SIGTERM');
              await exited;
            },
          });
        } else log(line);
      }
    };
    child.stdout.on('data', onLine);
    child.stderr.on('data', onLine);
    void exited.then(() => {
      if (!ready) reject(new Error(`the stand-ins process exited before it was ready (${main})`));
    });
  });
}
