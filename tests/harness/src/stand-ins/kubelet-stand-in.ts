/**
 * Plays the kubelet where kwok cannot, for the stack this tool deploys, so a full deploy can run to
 * the end on simulated nodes (sandbox, demo, benchmarks):
 *  - k8s-digester: kwok pods run no containers, so nothing would write the webhook's caBundle. For
 *    each Deployment `digester-controller-manager`, the real k8s-digester binary runs as a process
 *    with its cert rotation on (KUBECONFIG, POD_NAMESPACE): upstream's own code creates the cert
 *    Secret and patches caBundle, exactly as its pods do in a cluster. Stopped when the Deployment goes.
 *  - Spegel's post-delete hook pod `<release>-cleanup-wait` (a bare pod; kwok completes only Job
 *    pods) is marked Succeeded once the cleanup pods are Ready, as the real binary exits 0 then.
 *  - ARC: the controller's cleanup of its finalizers and listeners (arc-controller.ts); the real
 *    controller cannot be built here (the Go module proxy refuses its module) nor reach GitHub.
 * Component suites that own a digester process themselves do not start this.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Harness } from '../harness.ts';
import { standInForCleanupWait } from './cleanup-wait.ts';
import { startArcControllerStandIn } from './arc-controller.ts';
import { startDigester } from './digester-process.ts';
import { watchForever } from './watch-forever.ts';

export const DIGESTER_DEPLOYMENT = 'digester-controller-manager';

const fileLog = (file: string) => (line: string) => appendFileSync(file, `${new Date().toISOString()} ${line}\n`);

export interface StandIns {
  stop(): Promise<void>;
}

interface Named {
  metadata: { name: string; namespace?: string };
}

/** Logs go to <harness>/logs/stand-ins.log unless a logger is given. */
export function startStandIns(h: Harness, log: (line: string) => void = fileLog(join(h.dir, 'logs', 'stand-ins.log'))): StandIns {
  const ac = new AbortController();
  const cleanups = new Map<string, { stop(): void }>();

  /** Keeps a digester running for `ns` while its Deployment exists, restarting it as a kubelet would. */
  const supervise = async (ns: string, stop: AbortSignal): Promise<void> => {
    for (let backoff = 500; !stop.aborted && !ac.signal.aborted; backoff = Math.min(backoff * 2, 10_000)) {
      try {
        const proc = await startDigester({ kubeconfig: h.kubeconfig, namespace: ns, dir: join(h.dir, 'stand-ins', `digester-${ns}`), rotation: true, binary: join(h.binDir, 'k8s-digester') });
        log(`stand-in: k8s-digester for ${ns} running (cert rotation)`);
        const onStop = () => void proc.stop();
        stop.addEventListener('abort', onStop, { once: true });
        const how = await proc.exited;
        stop.removeEventListener('abort', onStop);
        if (stop.aborted) return;
        log(`stand-in: k8s-digester for ${ns} ${how}; restarting: ${proc.logs.slice(-3).join(' | ')}`);
        backoff = 500;
      } catch (e) {
        log(`stand-in: k8s-digester for ${ns} did not start: ${(e as Error).message.split('\n').slice(0, 3).join(' | ')}; retrying in ${backoff} ms`);
      }
      await new Promise((r) => setTimeout(r, backoff));
    }
  };
  const digesters = new Map<string, { stop: AbortController; done: Promise<void> }>();

  const digesterWatch = watchForever<Named>(
    h,
    '/apis/apps/v1/deployments',
    (type, d) => {
      if (d.metadata.name !== DIGESTER_DEPLOYMENT || !d.metadata.namespace) return;
      const ns = d.metadata.namespace;
      const running = digesters.get(ns);
      if (type === 'DELETED') {
        digesters.delete(ns);
        running?.stop.abort();
        log(`stand-in: k8s-digester for ${ns} stopped (Deployment deleted)`);
      } else if (!running) {
        const stop = new AbortController();
        digesters.set(ns, { stop, done: supervise(ns, stop.signal) });
      }
    },
    ac.signal,
    log,
  );

  const hookWatch = watchForever<Named>(
    h,
    '/api/v1/pods',
    (type, p) => {
      const m = /^(.+)-cleanup-wait$/.exec(p.metadata.name);
      if (!m || !p.metadata.namespace) return;
      const key = `${p.metadata.namespace}/${p.metadata.name}`;
      if (type === 'DELETED') {
        // Hook pods reuse their name on the next uninstall: the next one gets a fresh stand-in.
        cleanups.get(key)?.stop();
        cleanups.delete(key);
        return;
      }
      if (cleanups.has(key)) return;
      log(`stand-in: completing ${key} once its cleanup pods are Ready`);
      cleanups.set(key, standInForCleanupWait(h, p.metadata.namespace, m[1]!));
    },
    ac.signal,
    log,
  );

  const arc = startArcControllerStandIn(h);

  return {
    async stop() {
      ac.abort();
      await arc.stop();
      for (const s of cleanups.values()) s.stop();
      for (const d of digesters.values()) d.stop.abort();
      await Promise.all([...digesters.values()].map((d) => d.done));
      await Promise.allSettled([digesterWatch, hookWatch]);
    },
  };
}
