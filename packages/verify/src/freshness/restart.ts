/**
 * `--restart`: roll out the Deployments, StatefulSets and DaemonSets whose pods run a stale digest,
 * the way `kubectl rollout restart` does (a `kubectl.kubernetes.io/restartedAt` annotation on the
 * pod template). Never in kube-system. A workload whose template itself pins the stale digest is
 * skipped: new pods would start on the same old image.
 *
 * No rollback: the patch only adds a template annotation; the workload controller rolls pods with
 * its own surge/unavailability limits and keeps the previous ReplicaSet / revision, so
 * `kubectl rollout undo` remains available. Nothing else is changed.
 */
import { KubeApiError, type Kube } from '@stateless-ci/core';
import { isRestartable, type Finding, type RestartableKind, type Workload } from './types.ts';
import { workloadKey } from './workloads.ts';

export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

export interface RestartTarget {
  readonly workload: Workload & { readonly kind: RestartableKind };
  /** Stale digests its pods run. */
  readonly staleDigests: readonly string[];
  readonly pods: number;
}

export interface RestartPlan {
  readonly targets: readonly RestartTarget[];
  readonly skipped: readonly { readonly workload: Workload; readonly reason: string }[];
}

/** Pure: which workloads to roll, and which stale pods cannot be fixed by a rollout. */
export function planRestarts(findings: readonly Finding[]): RestartPlan {
  const targets = new Map<string, { workload: Workload; digests: Set<string>; pods: Set<string> }>();
  const skipped = new Map<string, { workload: Workload; reason: string }>();
  for (const f of findings) {
    if (f.status !== 'stale') continue;
    const w = f.use.workload;
    const key = workloadKey(w);
    if (w.namespace === 'kube-system') skipped.set(key, { workload: w, reason: 'kube-system is never restarted' });
    else if (!isRestartable(w.kind)) skipped.set(key, { workload: w, reason: w.kind === 'Pod' ? 'a bare pod has no controller to roll; delete and recreate it' : `${w.kind} is not rolled out by --restart` });
    else {
      let t = targets.get(key);
      if (!t) targets.set(key, (t = { workload: w, digests: new Set(), pods: new Set() }));
      if (f.use.runningDigest) t.digests.add(f.use.runningDigest);
      t.pods.add(f.use.pod);
    }
  }
  return {
    targets: [...targets.values()].map((t) => ({ workload: t.workload as RestartTarget['workload'], staleDigests: [...t.digests], pods: t.pods.size })),
    skipped: [...skipped.values()],
  };
}

/** Pure: ask on a terminal, go with --yes, refuse otherwise. */
export function restartGate(o: { readonly yes: boolean; readonly isTTY: boolean }): 'go' | 'ask' | 'refuse' {
  if (o.yes) return 'go';
  return o.isTTY ? 'ask' : 'refuse';
}

const PLURAL: Record<RestartableKind, string> = { Deployment: 'deployments', StatefulSet: 'statefulsets', DaemonSet: 'daemonsets' };
export const workloadPath = (w: RestartTarget['workload']): string => `/apis/apps/v1/namespaces/${w.namespace}/${PLURAL[w.kind]}/${w.name}`;

export type RestartOutcome = { readonly target: RestartTarget; readonly result: 'restarted' | 'skipped' | 'failed'; readonly detail: string };

interface TemplateHolder {
  readonly spec?: { readonly template?: { readonly spec?: { readonly containers?: readonly { readonly image?: string }[]; readonly initContainers?: readonly { readonly image?: string }[] } } };
}

export async function applyRestarts(kube: Kube, plan: RestartPlan, now: Date): Promise<RestartOutcome[]> {
  const out: RestartOutcome[] = [];
  for (const target of plan.targets) {
    if (target.workload.namespace === 'kube-system') throw new Error('refusing to restart in kube-system'); // planRestarts never yields this
    const path = workloadPath(target.workload);
    const got = await kube.raw('GET', path);
    if (got.status !== 200) {
      out.push({ target, result: 'failed', detail: `cannot read ${path}: HTTP ${got.status}` });
      continue;
    }
    const tpl = (JSON.parse(got.body) as TemplateHolder).spec?.template?.spec;
    const images = [...(tpl?.containers ?? []), ...(tpl?.initContainers ?? [])].map((c) => c.image ?? '');
    const pinned = target.staleDigests.find((d) => images.some((i) => i.endsWith(`@${d}`)));
    if (pinned) {
      out.push({ target, result: 'skipped', detail: `its pod template pins ${pinned.slice(0, 19)}…; a rollout would start the same image (limit the digester to pods, or update the template)` });
      continue;
    }
    const body = { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: now.toISOString() } } } } };
    const res = await kube.raw('PATCH', path, body, { 'Content-Type': 'application/strategic-merge-patch+json' });
    if (res.status !== 200) {
      const err = new KubeApiError(res.status, 'PatchFailed', res.body.slice(0, 200));
      out.push({ target, result: 'failed', detail: err.message });
      continue;
    }
    out.push({ target, result: 'restarted', detail: `${target.pods} stale pod(s) will be replaced` });
  }
  return out;
}
