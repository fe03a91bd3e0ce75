/** Verdicts on the listener pod and the runner pods. Pure. */
import { fail, pass, warn, type Check } from '@stateless-ci/core';
import { LISTENER_CONTAINER } from '../names.ts';
import type { ArcObservation, Pod } from './observation.ts';

/** Restarts above this fail the check (ARC #4356: a crash-looping listener); 1..this warn. */
export const LISTENER_MAX_RESTARTS = 3;

export function listenerCheck(o: ArcObservation): Check {
  const name = 'arc.listener-running';
  const n = o.names;
  const pod = o.listenerPods.find((p) => !p.metadata.deletionTimestamp) ?? o.listenerPods[0];
  if (!pod) {
    const why =
      o.listeners.length === 0
        ? `no AutoscalingListener for ${n.scaleSet} in ${n.controllerNamespace}: the controller creates it once the scale set is registered; check the controller logs`
        : `AutoscalingListener ${o.listeners[0]!.metadata.name} exists but has no pod; check kubectl -n ${n.controllerNamespace} describe autoscalinglistener ${o.listeners[0]!.metadata.name}`;
    return fail(name, why, [n.scaleSet]);
  }
  const where = `listener pod ${pod.metadata.namespace}/${pod.metadata.name}`;
  const c = pod.status?.containerStatuses?.find((s) => s.name === LISTENER_CONTAINER);
  const last = c?.lastState?.terminated;
  const lastText = last ? `, last exit ${last.reason ?? 'unknown'} (code ${last.exitCode ?? '?'})` : '';
  const logs = `kubectl -n ${pod.metadata.namespace} logs ${pod.metadata.name} -c ${LISTENER_CONTAINER} --previous`;
  if (pod.status?.phase !== 'Running') return fail(name, `${where} is ${pod.status?.phase ?? 'unknown'}${pod.status?.reason ? ` (${pod.status.reason})` : ''}; check kubectl -n ${pod.metadata.namespace} describe pod ${pod.metadata.name}`, [pod.metadata.name]);
  if (!c) return fail(name, `${where} has no container named ${LISTENER_CONTAINER}`, [pod.metadata.name]);
  if (!c.state?.running || !c.ready) {
    const w = c.state?.waiting ?? c.state?.terminated;
    return fail(name, `${where}: container ${LISTENER_CONTAINER} not ready${w?.reason ? ` (${w.reason})` : ''}${lastText}; ${logs}`, [pod.metadata.name]);
  }
  if (c.restartCount > LISTENER_MAX_RESTARTS) {
    return fail(name, `${where} restarted ${c.restartCount} times${lastText}: often revoked credentials, rate limiting or a deleted scale set (ARC #4356); ${logs}`, [pod.metadata.name]);
  }
  if (c.restartCount > 0) return warn(name, `${where} running but restarted ${c.restartCount} time(s)${lastText}; ${logs}`, [pod.metadata.name]);
  return pass(name, `${where} Running, ${LISTENER_CONTAINER} ready, no restarts`, { restarts: 0 });
}

const podArch = (p: Pod, nodeArch: ArcObservation['nodeArch']): string | undefined => (p.spec?.nodeName ? nodeArch[p.spec.nodeName] : undefined);

export function runnersArchCheck(o: ArcObservation): Check {
  const name = 'arc.runners-arch';
  const pods = o.runnerPods.filter((p) => !p.metadata.deletionTimestamp);
  if (pods.length === 0) {
    return o.minRunners > 0
      ? warn(name, `minRunners is ${o.minRunners} but no runner pods exist; check kubectl -n ${o.names.runnersNamespace} get ephemeralrunners`)
      : pass(name, 'no runner pods right now (minRunners 0, no queued jobs)', { runners: 0 });
  }
  const wrong = pods.filter((p) => p.spec?.nodeName && podArch(p, o.nodeArch) !== o.arch);
  if (wrong.length > 0) {
    return fail(name, `${wrong.length} runner pod(s) on nodes that are not ${o.arch}: ${wrong.map((p) => `${p.metadata.name}@${p.spec?.nodeName}(${podArch(p, o.nodeArch) ?? '?'})`).join(', ')}; check the runner template nodeSelector`, wrong.map((p) => p.metadata.name));
  }
  const unpinned = pods.filter((p) => p.spec?.nodeSelector?.['kubernetes.io/arch'] !== o.arch);
  if (unpinned.length > 0) return fail(name, `${unpinned.length} runner pod(s) without nodeSelector kubernetes.io/arch=${o.arch}; run apply`, unpinned.map((p) => p.metadata.name));
  const pvc = pods.filter((p) => p.spec?.volumes?.some((v) => v.ephemeral || v.persistentVolumeClaim));
  if (pvc.length > 0) return fail(name, `${pvc.length} runner pod(s) mount a PVC; kubernetes-novolume uses none: run apply`, pvc.map((p) => p.metadata.name));
  return pass(name, `${pods.length} runner pod(s), all on ${o.arch} nodes, no PVC`, { runners: pods.length });
}
