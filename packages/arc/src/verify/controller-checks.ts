/** Verdicts on the CRDs and the controller Deployment. Pure. */
import { fail, pass, warn, type Check } from '@stateless-ci/core';
import { minorOf } from '../names.ts';
import type { ArcObservation } from './observation.ts';

export function crdsCheck(o: ArcObservation): Check {
  const name = 'arc.crds';
  const missing = o.crds.filter((c) => !c.present || !c.served).map((c) => c.name);
  if (missing.length > 0) return fail(name, `CRDs missing or v1alpha1 not served: ${missing.join(', ')}; run apply`, missing);
  const terminating = o.crds.filter((c) => c.terminating).map((c) => c.name);
  if (terminating.length > 0) return fail(name, `CRDs being deleted: ${terminating.join(', ')}; objects with finalizers block it, and the controller must run to clear them`, terminating);
  const ars = o.crds.find((c) => c.name.startsWith('autoscalingrunnersets.'));
  const wantsPhase = Number(minorOf(o.wantVersion)?.split('.')[1] ?? 0) >= 14;
  if (wantsPhase && ars?.hasPhase === false) {
    return fail(name, `stale CRDs: the AutoscalingRunnerSet schema has no status.phase (pre-0.14), the ${o.wantVersion} controller needs it; run apply (it follows the documented upgrade path)`, [ars.name]);
  }
  const other = o.crds.filter((c) => c.chartVersion !== undefined && c.chartVersion !== o.wantVersion).map((c) => `${c.name}@${c.chartVersion}`);
  if (other.length > 0) return fail(name, `CRDs come from another chart version than ${o.wantVersion}: ${other.join(', ')}; run apply (documented upgrade path)`, other);
  const unstamped = o.crds.filter((c) => c.chartVersion === undefined).length;
  if (unstamped > 0) return warn(name, `${unstamped} CRDs were not applied by this tool, their chart version is unknown; run apply to adopt them`);
  return pass(name, `4 actions.github.com CRDs from chart ${o.wantVersion}`);
}

export function controllerCheck(o: ArcObservation): Check {
  const name = 'arc.controller-available';
  const n = o.names;
  const d = o.controller;
  const where = `Deployment ${n.controllerNamespace}/${n.controllerDeployment}`;
  if (!d) return fail(name, `${where} not found; run apply (helm -n ${n.controllerNamespace} status ${n.controllerRelease})`, [n.controllerDeployment]);
  const available = d.status?.conditions?.find((c) => c.type === 'Available');
  if ((d.status?.availableReplicas ?? 0) < 1 || available?.status !== 'True') {
    return fail(name, `${where} not Available (${available?.reason ?? 'no Available condition'}${available?.message ? `: ${available.message}` : ''}); check kubectl -n ${n.controllerNamespace} describe deploy ${n.controllerDeployment}`, [n.controllerDeployment]);
  }
  const image = d.spec?.template?.spec?.containers?.find((c) => c.name === 'manager')?.image ?? '';
  const tag = /:([^:@/]+)(@|$)/.exec(image)?.[1];
  if (minorOf(tag) !== minorOf(o.wantVersion)) {
    return fail(name, `controller image ${image || '(none)'} is not on minor ${minorOf(o.wantVersion)}; the controller deletes scale sets of another minor (ARC #4422): run apply`, [n.controllerDeployment]);
  }
  return pass(name, `${where} Available (${d.status?.availableReplicas} replica(s), ${image})`);
}
