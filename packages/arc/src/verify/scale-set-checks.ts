/** Verdicts on the AutoscalingRunnerSet: present, registered on GitHub, Running, Kubernetes mode without PVC on the right arch. Pure. */
import { fail, pass, warn, type Check } from '@stateless-ci/core';
import { SCALE_SET_ID_ANNOTATION, VERSION_LABEL, minorOf } from '../names.ts';
import type { ArcObservation } from './observation.ts';

export const NOVOLUME_HOOK = '/home/runner/k8s-novolume/index.js';

interface ArsSpec {
  template?: {
    spec?: {
      nodeSelector?: Record<string, string>;
      volumes?: { name: string; ephemeral?: unknown; persistentVolumeClaim?: unknown }[];
      containers?: { name: string; env?: { name: string; value?: string }[] }[];
    };
  };
}

export function scaleSetPresentCheck(o: ArcObservation): Check {
  const name = 'arc.scale-set-present';
  const n = o.names;
  const s = o.scaleSet;
  if (!s) return fail(name, `AutoscalingRunnerSet ${n.runnersNamespace}/${n.scaleSet} not found; run apply (helm -n ${n.runnersNamespace} status ${n.scaleSet})`, [n.scaleSet]);
  if (s.metadata.deletionTimestamp) return fail(name, `AutoscalingRunnerSet ${n.scaleSet} is being deleted (a controller of another minor deletes it, ARC #4422); check the controller logs`, [n.scaleSet]);
  const v = s.metadata.labels?.[VERSION_LABEL];
  if (minorOf(v) !== minorOf(o.wantVersion)) {
    return fail(name, `AutoscalingRunnerSet ${n.scaleSet} is from chart ${v ?? 'unknown'}, not minor ${minorOf(o.wantVersion)}; run apply`, [n.scaleSet]);
  }
  return pass(name, `AutoscalingRunnerSet ${n.runnersNamespace}/${n.scaleSet} (chart ${v})`);
}

export function scaleSetRegisteredCheck(o: ArcObservation): Check {
  const name = 'arc.scale-set-registered';
  const n = o.names;
  if (!o.scaleSet) return fail(name, 'no AutoscalingRunnerSet to check');
  const raw = o.scaleSet.metadata.annotations?.[SCALE_SET_ID_ANNOTATION];
  const id = Number(raw);
  if (!raw || !Number.isInteger(id) || id <= 0) {
    return fail(
      name,
      `not registered with GitHub (no ${SCALE_SET_ID_ANNOTATION} annotation): check githubConfigUrl and the credentials in Secret ${n.runnersNamespace}/${n.credentialsSecret}, then kubectl -n ${n.controllerNamespace} logs deploy/${n.controllerDeployment}`,
      [n.scaleSet],
    );
  }
  return pass(name, `registered on GitHub as scale set id ${id}`, { scaleSetId: id });
}

export function scaleSetRunningCheck(o: ArcObservation): Check {
  const name = 'arc.scale-set-running';
  if (!o.scaleSet) return fail(name, 'no AutoscalingRunnerSet to check');
  const status = (o.scaleSet.status ?? {}) as { phase?: string; state?: string };
  if (status.phase === 'Running') return pass(name, 'phase Running');
  if (status.phase === undefined && status.state !== undefined) {
    return fail(name, `status has the pre-0.14 field state=${status.state} and no phase: stale CRDs or controller; run apply (documented upgrade path)`, [o.names.scaleSet]);
  }
  const hint =
    status.phase === 'Outdated'
      ? 'the spec changed and the controller has not caught up; check its logs'
      : 'the controller has not created the AutoscalingListener yet (it does so once the scale set is registered on GitHub)';
  return fail(name, `phase ${status.phase ?? '(none)'}: ${hint}`, [o.names.scaleSet]);
}

export function runnerModeCheck(o: ArcObservation): Check {
  const name = 'arc.runner-mode';
  if (!o.scaleSet) return fail(name, 'no AutoscalingRunnerSet to check');
  const spec = ((o.scaleSet.spec ?? {}) as ArsSpec).template?.spec ?? {};
  const problems: string[] = [];
  const pvc = (spec.volumes ?? []).filter((v) => v.ephemeral || v.persistentVolumeClaim).map((v) => v.name);
  if (pvc.length > 0) problems.push(`PVC volumes ${pvc.join(', ')} (kubernetes-novolume uses none)`);
  const runner = spec.containers?.find((c) => c.name === 'runner');
  const hook = runner?.env?.find((e) => e.name === 'ACTIONS_RUNNER_CONTAINER_HOOKS')?.value;
  if (hook !== NOVOLUME_HOOK) problems.push(`ACTIONS_RUNNER_CONTAINER_HOOKS is ${hook ?? 'unset'}, not ${NOVOLUME_HOOK}`);
  if (spec.containers?.some((c) => /dind/.test(c.name))) problems.push('a Docker-in-Docker container is present');
  const arch = spec.nodeSelector?.['kubernetes.io/arch'];
  if (arch !== o.arch) problems.push(`runner nodeSelector kubernetes.io/arch is ${arch ?? 'unset'}, not ${o.arch}`);
  if (problems.length > 0) return fail(name, `runner template: ${problems.join('; ')}; run apply`, [o.names.scaleSet]);
  return pass(name, `kubernetes-novolume, no PVC, runners pinned to ${o.arch}`);
}

export function stuckCheck(o: ArcObservation): Check {
  const name = 'arc.no-stuck-finalizers';
  if (o.stuck.length === 0) return pass(name, 'nothing stuck Terminating');
  return warn(name, `Terminating with actions.github.com/cleanup-protection: ${o.stuck.join(', ')}; only a running controller removes it (ARC #2781)`, o.stuck);
}
