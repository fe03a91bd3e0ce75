/**
 * Pure: which nodes a DaemonSet pod must run on, by the scheduler's rules for nodeSelector and
 * NoSchedule/NoExecute taints, including the tolerations the DaemonSet controller adds itself.
 */

export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}

export interface Toleration {
  readonly key?: string;
  readonly operator?: string;
  readonly value?: string;
  readonly effect?: string;
}

export interface NodeLike {
  metadata: { name: string; labels?: Record<string, string>; deletionTimestamp?: string };
  spec?: { taints?: Taint[]; unschedulable?: boolean };
  status?: { conditions?: { type: string; status: string }[]; nodeInfo?: { containerRuntimeVersion?: string } };
}

export interface PodTemplateSpec {
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  affinity?: unknown;
}

/** Added to every DaemonSet pod by the DaemonSet controller (hostNetwork-only ones left out). */
export const DAEMONSET_TOLERATIONS: readonly Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if ((t.operator ?? 'Equal') === 'Exists') return !t.key || t.key === taint.key;
  return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
}

export type Eligibility = { readonly eligible: true } | { readonly eligible: false; readonly reason: string };

export function eligibility(node: NodeLike, pod: PodTemplateSpec): Eligibility {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(pod.nodeSelector ?? {})) {
    if (labels[k] !== v) return { eligible: false, reason: `nodeSelector ${k}=${v}` };
  }
  const all = [...(pod.tolerations ?? []), ...DAEMONSET_TOLERATIONS];
  for (const taint of node.spec?.taints ?? []) {
    if (taint.effect === 'PreferNoSchedule') continue;
    if (!all.some((t) => tolerates(t, taint))) return { eligible: false, reason: `taint ${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}` };
  }
  return { eligible: true };
}

export const nodeReady = (n: NodeLike): boolean => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
