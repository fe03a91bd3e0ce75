/**
 * kwok completes only Job-owned pods, so the chart's post-delete hook pod `<release>-cleanup-wait`
 * (a bare pod that exits once every node's cleanup pod is Ready) would run forever on the harness.
 * This stand-in plays the kubelet for that one pod: once the hook's cleanup DaemonSet has a Ready
 * pod on every node, it marks the wait pod Succeeded, as the real binary would by exiting 0.
 */
import type { Harness } from '../harness.ts';

interface PodObj {
  metadata: { name: string; labels?: Record<string, string> };
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}

export function standInForCleanupWait(h: Harness, namespace: string, release: string): { stop(): void; done: Promise<boolean> } {
  const ac = new AbortController();
  const pods = new Map<string, PodObj>();
  let finished = false;
  const done = h.client
    .watch<PodObj>(
      `/api/v1/namespaces/${namespace}/pods`,
      (e) => {
        if (e.type === 'DELETED') pods.delete(e.object.metadata.name);
        else if (e.type === 'ADDED' || e.type === 'MODIFIED') pods.set(e.object.metadata.name, e.object);
        const wait = pods.get(`${release}-cleanup-wait`);
        const cleanup = [...pods.values()].filter((p) => p.metadata.labels?.['app.kubernetes.io/component'] === 'cleanup');
        const ready = cleanup.length > 0 && cleanup.every((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
        if (wait && ready && wait.status?.phase !== 'Succeeded' && !finished) {
          finished = true;
          void h.client.raw(
            'PATCH',
            `/api/v1/namespaces/${namespace}/pods/${wait.metadata.name}/status`,
            { status: { phase: 'Succeeded', containerStatuses: [{ name: 'cleanup-wait', image: 'stand-in', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] } },
            'application/merge-patch+json',
          );
        }
        return undefined;
      },
      ac.signal,
    )
    .then(() => finished, () => finished);
  return { stop: () => ac.abort(), done };
}
