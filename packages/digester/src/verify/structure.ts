/** Structural checks of the live webhook configuration: present, scoped, Pods only, fails open. */
import { fail, pass, skip, type Check, type ClusterContext, type KubeObject } from '@stateless-ci/core';
import { WEBHOOK_CONFIGURATION } from '../names.ts';
import { failurePolicyCheck, rulesCheck, scopeCheck } from '../webhook-scope.ts';

export const MWC_KEY = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', name: WEBHOOK_CONFIGURATION } as const;

/** Pure: the checks for a webhook configuration (or its absence). */
export function structureChecks(mwc: KubeObject | undefined, ctx: Pick<ClusterContext, 'cluster'>, runnerLabels: Readonly<Record<string, string>> = {}): Check[] {
  if (!mwc) {
    return [
      fail('digester.webhook-present', `MutatingWebhookConfiguration ${WEBHOOK_CONFIGURATION} does not exist; run: pnpm task digester apply --cluster ${ctx.cluster.name}`),
      skip('digester.webhook-scope', 'no webhook'),
      skip('digester.webhook-rules', 'no webhook'),
      skip('digester.failure-policy', 'no webhook'),
    ];
  }
  return [pass('digester.webhook-present', `${mwc.metadata.name} has ${(mwc.webhooks as unknown[] | undefined)?.length ?? 0} webhook(s)`), scopeCheck(mwc, ctx.cluster, runnerLabels), rulesCheck(mwc), failurePolicyCheck(mwc, ctx.cluster)];
}

export async function readWebhook(ctx: ClusterContext, name: string = WEBHOOK_CONFIGURATION): Promise<KubeObject | undefined> {
  return ctx.kube.read({ ...MWC_KEY, name });
}

export async function verifyStructure(ctx: ClusterContext, name: string = WEBHOOK_CONFIGURATION): Promise<Check[]> {
  const mwc = await readWebhook(ctx, name);
  const runners = await ctx.kube.read({ apiVersion: 'v1', kind: 'Namespace', name: ctx.cluster.namespaces.runners });
  return structureChecks(mwc, ctx, runners?.metadata.labels ?? {});
}
