/** Fake (kwok-managed) Nodes: manifests, bulk create/delete, and waiting for Ready via list+watch. */
import type { Arch } from './profile.ts';
import type { KubeClient } from './kube-client.ts';
import { KubeApiError } from './errors.ts';
import { watchUntil } from './watch-until.ts';

export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}

export interface NodeOptions {
  readonly arch?: Arch;
  readonly taints?: readonly Taint[];
  readonly labels?: Readonly<Record<string, string>>;
}

interface NodeObject {
  metadata: { name: string; labels?: Record<string, string>; resourceVersion?: string };
  status?: { conditions?: { type: string; status: string }[] };
}
interface NodeList {
  items: NodeObject[];
}

export const harnessNodeLabel = 'stateless-ci.dev/harness-node';
export const nodeName = (i: number): string => `kwok-node-${i}`;
const nodesPath = '/api/v1/nodes';

export function nodeManifest(name: string, arch: Arch, opts: NodeOptions = {}): Record<string, unknown> {
  const capacity = { cpu: '32', memory: '256Gi', pods: '110', 'ephemeral-storage': '500Gi' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/arch': opts.arch ?? arch,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/hostname': name,
        'beta.kubernetes.io/arch': opts.arch ?? arch,
        'beta.kubernetes.io/os': 'linux',
        type: 'kwok',
        [harnessNodeLabel]: 'true',
        ...opts.labels,
      },
    },
    spec: opts.taints?.length ? { taints: opts.taints.map((t) => ({ ...t })) } : {},
    status: { allocatable: capacity, capacity },
  };
}

export function isReady(n: NodeObject): boolean {
  return n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

async function createNode(client: KubeClient, manifest: Record<string, unknown>): Promise<void> {
  try {
    await client.create(nodesPath, manifest);
  } catch (err) {
    if (!(err instanceof KubeApiError && err.status === 409)) throw err;
  }
}

/** Waits until `predicate(nodesByName)` holds (list + watch). */
export async function waitForNodes(
  client: KubeClient,
  predicate: (nodes: ReadonlyMap<string, NodeObject>) => boolean,
  what: string,
  timeoutMs: number,
): Promise<void> {
  await watchUntil<NodeObject>(client, nodesPath, predicate, what, timeoutMs);
}

export interface NodeManager {
  setNodeCount(n: number): Promise<void>;
  addNode(name: string, opts?: NodeOptions): Promise<void>;
  removeNode(name: string): Promise<void>;
}

export function nodeManager(client: KubeClient, arch: Arch, log: (l: string) => void, concurrency = 32): NodeManager {
  const timeoutFor = (n: number): number => 60_000 + n * 120;
  return {
    async setNodeCount(n) {
      const t0 = Date.now();
      const list = await client.get<NodeList>(`${nodesPath}?labelSelector=${encodeURIComponent(harnessNodeLabel)}`);
      const existing = new Set(list.items.map((i) => i.metadata.name));
      const want = Array.from({ length: n }, (_, i) => nodeName(i));
      const wanted = new Set(want);
      const extra = [...existing].filter((name) => /^kwok-node-\d+$/.test(name) && !wanted.has(name));
      const missing = want.filter((name) => !existing.has(name));
      await pool(missing, concurrency, (name) => createNode(client, nodeManifest(name, arch)));
      await pool(extra, concurrency, (name) => client.remove(`${nodesPath}/${name}`));
      await waitForNodes(
        client,
        (nodes) => want.every((name) => nodes.has(name) && isReady(nodes.get(name)!)) && extra.every((name) => !nodes.has(name)),
        `${n} Ready kwok nodes`,
        timeoutFor(n),
      );
      log(`nodes: ${n} Ready (${missing.length} created, ${extra.length} deleted) in ${Date.now() - t0} ms`);
    },
    async addNode(name, opts = {}) {
      await createNode(client, nodeManifest(name, arch, opts));
      await waitForNodes(client, (nodes) => nodes.has(name) && isReady(nodes.get(name)!), `node ${name} Ready`, timeoutFor(1));
    },
    async removeNode(name) {
      await client.remove(`${nodesPath}/${name}`);
      await waitForNodes(client, (nodes) => !nodes.has(name), `node ${name} deleted`, timeoutFor(1));
    },
  };
}
