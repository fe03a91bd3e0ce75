/** Waits for a condition over a collection: one list, then a watch from its resourceVersion. */
import { ReadinessTimeoutError } from './errors.ts';
import type { KubeClient } from './kube-client.ts';

export interface KubeObject {
  metadata: { name: string; namespace?: string; resourceVersion?: string };
}

interface List<T> {
  metadata: { resourceVersion: string };
  items: T[];
}

/**
 * Resolves with the object map once `predicate` holds. `collectionPath` is a list URL such as
 * /api/v1/nodes or /apis/apps/v1/namespaces/ns/deployments (query parameters allowed).
 * Re-lists when the server ends a watch; never sleeps.
 */
export async function watchUntil<T extends KubeObject>(
  client: KubeClient,
  collectionPath: string,
  predicate: (objects: ReadonlyMap<string, T>) => boolean,
  what: string,
  timeoutMs: number,
): Promise<ReadonlyMap<string, T>> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  const sep = collectionPath.includes('?') ? '&' : '?';
  let objects = new Map<string, T>();
  try {
    while (!ac.signal.aborted) {
      const list = await client.get<List<T>>(collectionPath);
      objects = new Map(list.items.map((o) => [o.metadata.name, o]));
      if (predicate(objects)) return objects;
      let done = false;
      await client.watch<T>(
        `${collectionPath}${sep}resourceVersion=${list.metadata.resourceVersion}`,
        (ev) => {
          if (ev.type === 'ADDED' || ev.type === 'MODIFIED') objects.set(ev.object.metadata.name, ev.object);
          else if (ev.type === 'DELETED') objects.delete(ev.object.metadata.name);
          else return false;
          done = predicate(objects);
          return done;
        },
        ac.signal,
      );
      if (done) return objects;
    }
    throw new ReadinessTimeoutError(`timed out after ${timeoutMs} ms waiting for ${what}`);
  } finally {
    clearTimeout(timer);
  }
}
