/**
 * The verify pipeline: every enabled component's checks (concurrently) plus the cross-component
 * ones. A component whose verify throws becomes a failed check naming the error, so one broken
 * piece never hides the others' verdicts.
 */
import { fail, healthy, type Check, type ClusterContext, type Component } from '@stateless-ci/core';
import { digesterPinsRunnerImage, runnerPodsOnClusterArch } from './cross-checks.ts';

export interface VerifyReport {
  readonly cluster: string;
  readonly healthy: boolean;
  readonly checks: readonly Check[];
  readonly durationMs: number;
}

const guarded = async (name: string, fn: () => Promise<Check[]>, redact: (s: string) => string): Promise<Check[]> => {
  try {
    return await fn();
  } catch (e) {
    return [fail(name, redact((e as Error).message ?? String(e)))];
  }
};

export async function verifyCluster(ctx: ClusterContext, components: readonly Component[]): Promise<VerifyReport> {
  const started = Date.now();
  const redact = (s: string) => ctx.redactor.redact(s);
  const enabled = components.filter((c) => ctx.cluster[c.name].enabled);
  const groups = await Promise.all([
    ...enabled.map((c) => guarded(`${c.name}.verify`, () => c.verify(ctx), redact)),
    guarded('cross.digester-pins-runner-image', async () => [await digesterPinsRunnerImage(ctx)], redact),
    guarded('cross.runner-pods-on-cluster-arch', async () => [await runnerPodsOnClusterArch(ctx)], redact),
  ]);
  const checks = groups.flat();
  return { cluster: ctx.cluster.name, healthy: healthy(checks), checks, durationMs: Date.now() - started };
}
