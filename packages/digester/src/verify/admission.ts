/**
 * The behavioural check: server-side dry-run of the same Pod in the runner namespace and in
 * kube-system. Dry-run runs mutating webhooks (the digester declares sideEffects: None) but
 * stores nothing. The runner Pod must come back pinned to @sha256:, the kube-system one untouched.
 * The difference between the two round trips is the admission latency the webhook adds.
 */
import { KubeApiError, fail, pass, skip, warn, type Check, type ClusterContext } from '@stateless-ci/core';

export interface ProbeResult {
  readonly image: string;
  readonly ms: number;
  /** API server warnings (Warning headers), e.g. about a webhook that failed open. */
  readonly warnings: readonly string[];
}

const PINNED = /@sha256:[a-f0-9]{64}$/;

/** The probe Pod; never stored (dryRun=All). */
export function probePod(image: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { generateName: 'digester-verify-', labels: { 'app.kubernetes.io/managed-by': 'stateless-ci', 'stateless-ci/probe': 'digester' } },
    spec: { automountServiceAccountToken: false, restartPolicy: 'Never', containers: [{ name: 'probe', image }] },
  };
}

const headerList = (h: string | string[] | undefined): string[] => (h === undefined ? [] : Array.isArray(h) ? h : [h]);

export async function dryRunPod(ctx: ClusterContext, namespace: string, image: string): Promise<ProbeResult> {
  const t0 = performance.now();
  const res = await ctx.kube.raw('POST', `/api/v1/namespaces/${namespace}/pods?dryRun=All&fieldManager=stateless-ci`, probePod(image));
  const ms = Math.round(performance.now() - t0);
  if (res.status >= 300) {
    let reason = 'Error';
    let message = res.body.slice(0, 300);
    try {
      ({ reason = reason, message = message } = JSON.parse(res.body) as { reason?: string; message?: string });
    } catch {
      /* not a Status */
    }
    throw new KubeApiError(res.status, reason, `dry-run Pod in ${namespace}: ${message}`);
  }
  const pod = JSON.parse(res.body) as { spec: { containers: { image: string }[] } };
  return { image: pod.spec.containers[0]!.image, ms, warnings: headerList(res.headers.warning) };
}

/** Pure verdicts from the two probes. */
export function admissionChecks(image: string, runnerNs: string, runner: ProbeResult, system: ProbeResult, timeoutSeconds: number): Check[] {
  const webhookMs = Math.max(0, runner.ms - system.ms);
  const metrics = { admissionMs: runner.ms, baselineMs: system.ms, webhookMs };
  const checks: Check[] = [];
  if (runner.image.startsWith(`${image}@`) && PINNED.test(runner.image)) {
    const slow = runner.ms > timeoutSeconds * 1000 * 0.5;
    const detail = `a Pod with ${image} in ${runnerNs} comes back as …@${runner.image.split('@')[1]!.slice(0, 19)}…; admission ${runner.ms} ms (kube-system ${system.ms} ms, webhook ≈${webhookMs} ms)`;
    checks.push(slow ? { ...warn('digester.pins-runner-pods', `${detail}; over half the ${timeoutSeconds}s webhook timeout`), metrics } : pass('digester.pins-runner-pods', detail, metrics));
  } else {
    const why = runner.warnings.length > 0 ? `API server warning: ${runner.warnings.join('; ')}` : 'the webhook failed open (failurePolicy Ignore) or did not resolve the tag; check the digester logs for "admission error" and that the API server reaches its Service';
    checks.push({ ...fail('digester.pins-runner-pods', `a Pod with ${image} in ${runnerNs} was admitted as ${runner.image}, not pinned: ${why}`), metrics });
  }
  checks.push(
    system.image === image
      ? pass('digester.kube-system-untouched', `the same Pod in kube-system keeps ${image}`)
      : fail('digester.kube-system-untouched', `a Pod in kube-system was rewritten to ${system.image}; the webhook must never touch kube-system`),
  );
  return checks;
}

/** The image to probe with: a tag (the digester skips digests), by default the runner image. */
export function probeImage(ctx: Pick<ClusterContext, 'cluster' | 'env'>): string {
  return ctx.env.STATELESS_CI_DIGESTER_PROBE_IMAGE ?? ctx.cluster.arc.runnerSet.runnerImage.replace(/@sha256:[a-f0-9]{64}$/, '');
}

export async function verifyAdmission(ctx: ClusterContext, image: string = probeImage(ctx)): Promise<Check[]> {
  const runnerNs = ctx.cluster.namespaces.runners;
  if (!(await ctx.kube.read({ apiVersion: 'v1', kind: 'Namespace', name: runnerNs }))) {
    return [skip('digester.pins-runner-pods', `runner namespace ${runnerNs} does not exist yet (ARC creates it)`), skip('digester.kube-system-untouched', 'skipped with the runner probe')];
  }
  // kube-system first: it warms the connection, so the difference measures the webhook alone.
  const system = await dryRunPod(ctx, 'kube-system', image);
  const runner = await dryRunPod(ctx, runnerNs, image);
  return admissionChecks(image, runnerNs, runner, system, ctx.cluster.digester.timeoutSeconds);
}
