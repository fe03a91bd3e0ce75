/** All digester checks, cheapest first. */
import type { Check, ClusterContext } from '@stateless-ci/core';
import { verifyAdmission } from './admission.ts';
import { verifyRollout } from './rollout.ts';
import { verifyStructure } from './structure.ts';

export async function verifyDigester(ctx: ClusterContext): Promise<Check[]> {
  return [...(await verifyStructure(ctx)), ...(await verifyRollout(ctx)), ...(await verifyAdmission(ctx))];
}

export { admissionChecks, dryRunPod, probeImage, probePod, verifyAdmission, type ProbeResult } from './admission.ts';
export { verifyRollout } from './rollout.ts';
export { readWebhook, structureChecks, verifyStructure } from './structure.ts';
