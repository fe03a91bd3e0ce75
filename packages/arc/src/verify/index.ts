/** `verify`: one observation, then every verdict. Each failing check names what to do. */
import type { Check, ClusterContext } from '@stateless-ci/core';
import { controllerCheck, crdsCheck } from './controller-checks.ts';
import type { ArcObservation } from './observation.ts';
import { observeArc } from './observe.ts';
import { listenerCheck, runnersArchCheck } from './pod-checks.ts';
import { runnerModeCheck, scaleSetPresentCheck, scaleSetRegisteredCheck, scaleSetRunningCheck, stuckCheck } from './scale-set-checks.ts';

export function arcChecks(o: ArcObservation): Check[] {
  return [
    crdsCheck(o),
    controllerCheck(o),
    scaleSetPresentCheck(o),
    scaleSetRegisteredCheck(o),
    scaleSetRunningCheck(o),
    runnerModeCheck(o),
    listenerCheck(o),
    runnersArchCheck(o),
    stuckCheck(o),
  ];
}

export async function verifyArc(ctx: ClusterContext): Promise<Check[]> {
  return arcChecks(await observeArc(ctx));
}

export * from './observation.ts';
export * from './controller-checks.ts';
export * from './scale-set-checks.ts';
export * from './pod-checks.ts';
export { observeArc } from './observe.ts';
