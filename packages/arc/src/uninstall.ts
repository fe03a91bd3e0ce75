/**
 * `uninstall`: the scale set first, waiting until the controller has cleared its finalizers, then
 * the credentials Secret, then the controller (ARC #2781: the other order leaves objects
 * Terminating forever). The CRDs stay: deleting them would delete every scale set in the cluster,
 * including ones this cluster file does not manage; `kubectl delete crd` them by hand if wanted.
 */
import type { ClusterContext } from '@stateless-ci/core';
import { arcNames } from './names.ts';
import { CLEANUP_TIMEOUT_MS } from './upgrade.ts';
import { waitForScaleSetCleanup } from './scale-set-cleanup.ts';

/** The scale-set release, then the wait until the controller has cleaned up after it. */
export async function uninstallScaleSet(ctx: ClusterContext, timeoutMs = CLEANUP_TIMEOUT_MS): Promise<void> {
  const n = arcNames(ctx.cluster);
  if (await ctx.helm.status(n.scaleSet, n.runnersNamespace)) {
    ctx.log.info(`arc: uninstalling scale set ${n.runnersNamespace}/${n.scaleSet}`);
    await ctx.helm.uninstall(n.scaleSet, n.runnersNamespace);
  }
  await waitForScaleSetCleanup(ctx, timeoutMs);
}

export async function uninstallArc(ctx: ClusterContext, timeoutMs = CLEANUP_TIMEOUT_MS): Promise<void> {
  const n = arcNames(ctx.cluster);
  await uninstallScaleSet(ctx, timeoutMs);
  await ctx.kube.delete({ apiVersion: 'v1', kind: 'Secret', name: n.credentialsSecret, namespace: n.runnersNamespace });
  if (await ctx.helm.status(n.controllerRelease, n.controllerNamespace)) {
    ctx.log.info(`arc: uninstalling controller ${n.controllerNamespace}/${n.controllerRelease}`);
    await ctx.helm.uninstall(n.controllerRelease, n.controllerNamespace);
  }
}
