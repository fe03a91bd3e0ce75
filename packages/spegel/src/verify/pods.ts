/** Pure helpers over pod objects as the list API returns them. */

export interface ContainerStatus {
  name: string;
  ready?: boolean;
  restartCount?: number;
  state?: { terminated?: { exitCode: number; reason?: string }; waiting?: { reason?: string }; running?: unknown };
}

export interface PodLike {
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; deletionTimestamp?: string };
  spec?: { nodeName?: string; containers?: { name: string; ports?: { name?: string; containerPort: number }[] }[] };
  status?: {
    phase?: string;
    podIP?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}

export const podReady = (p: PodLike): boolean =>
  !p.metadata.deletionTimestamp && p.status?.phase === 'Running' && (p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false);

/** The container port with this name, or the fallback (the chart's default) when not declared. */
export function namedPort(p: PodLike, name: string, fallback: number): number {
  for (const c of p.spec?.containers ?? []) for (const port of c.ports ?? []) if (port.name === name) return port.containerPort;
  return fallback;
}

/** Pods grouped by the node they are bound to (unbound pods are left out). */
export function podsByNode<T extends PodLike>(pods: readonly T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const p of pods) {
    const n = p.spec?.nodeName;
    if (!n) continue;
    m.set(n, [...(m.get(n) ?? []), p]);
  }
  return m;
}
