/**
 * Waits, by watching, until the Deployment is Available, its Service lists a ready endpoint (the
 * endpoint controller lags the Deployment a little) and the webhook's caBundle is populated: only
 * then can the API server call the webhook.
 */
import { UnhealthyError, type ClusterContext, type KubeObject } from '@stateless-ci/core';
import { DEPLOYMENT, SERVICE, WEBHOOK_CONFIGURATION } from './names.ts';
import { caBundleVerdict, endpointsVerdict, rolloutVerdict, type EndpointSliceLike, type Verdict } from './readiness.ts';

export interface WaitOptions {
  /** @default 300000 */
  readonly timeoutMs?: number;
}

async function waitOne(ctx: ClusterContext, path: string, name: string, verdict: (o: KubeObject | undefined) => Verdict, what: string, timeoutMs: number): Promise<void> {
  let last = 'not seen yet';
  try {
    await ctx.kube.waitFor<KubeObject, true>({
      path,
      query: { fieldSelector: `metadata.name=${name}` },
      timeoutMs,
      signal: ctx.signal,
      description: what,
      until: (_type, _obj, all) => {
        const o = [...all.values()].find((x) => x.metadata.name === name);
        const v = verdict(o);
        last = v.detail;
        return v.ok ? true : undefined;
      },
    });
  } catch (e) {
    throw new UnhealthyError(`${(e as Error).message} (last state: ${last})`);
  }
}

async function waitEndpoints(ctx: ClusterContext, ns: string, timeoutMs: number): Promise<void> {
  let last = 'no EndpointSlice yet';
  try {
    await ctx.kube.waitFor<EndpointSliceLike, true>({
      path: `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`,
      query: { labelSelector: `kubernetes.io/service-name=${SERVICE}` },
      timeoutMs,
      signal: ctx.signal,
      description: `Service ${ns}/${SERVICE} to list a ready endpoint`,
      until: (_type, _obj, all) => {
        const v = endpointsVerdict([...all.values()], SERVICE);
        last = v.detail;
        return v.ok ? true : undefined;
      },
    });
  } catch (e) {
    throw new UnhealthyError(`${(e as Error).message} (last state: ${last})`);
  }
}

export async function waitReady(ctx: ClusterContext, opts: WaitOptions = {}): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 300_000;
  const ns = ctx.cluster.digester.namespace;
  // Three independent conditions, watched at once; all must hold.
  await Promise.all([
    waitOne(ctx, `/apis/apps/v1/namespaces/${ns}/deployments`, DEPLOYMENT, rolloutVerdict, `Deployment ${ns}/${DEPLOYMENT} to be Available`, timeoutMs),
    waitEndpoints(ctx, ns, timeoutMs),
    waitOne(ctx, '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations', WEBHOOK_CONFIGURATION, (o) => caBundleVerdict(o), `the caBundle of ${WEBHOOK_CONFIGURATION} to hold the CA (written on install, or by the digester's rotator)`, timeoutMs),
  ]);
}
