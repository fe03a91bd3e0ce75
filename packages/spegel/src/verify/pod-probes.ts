/**
 * HTTP checks of Spegel itself through the API server's pods/proxy: `/readyz` on the registry
 * port, `/metrics` and `/debug/web/metadata` on the metrics port. A bounded, evenly spread sample
 * of pods is probed (the kubelet already probes `/readyz` on every node; its verdict is the pods'
 * Ready condition), so the request count does not grow with the node count.
 */
import { fail, pass, warn, type Check } from '@stateless-ci/core';
import { nameList } from './coverage.ts';
import { namedPort, podReady, type PodLike } from './pods.ts';
import { max, parsePrometheus, sum } from './prometheus.ts';
import { classifyProxy, type ProxyOutcome } from './proxy.ts';

export const PROBE_CHECK = { readyz: 'spegel.readyz', metrics: 'spegel.mirror-metrics', peers: 'spegel.peers' } as const;

export interface PodProbe {
  readonly node: string;
  readonly pod: string;
  readonly readyz: ProxyOutcome;
  readonly metrics: ProxyOutcome;
  readonly metadata: ProxyOutcome;
}

export interface RawGetter {
  raw(method: 'GET', path: string): Promise<{ status: number; body: string }>;
}

/** Up to `limit` Ready pods, evenly spread over the pods sorted by node name (deterministic). */
export function samplePods<T extends PodLike>(pods: readonly T[], limit: number): T[] {
  const ready = pods.filter(podReady).sort((a, b) => (a.spec?.nodeName ?? '').localeCompare(b.spec?.nodeName ?? ''));
  if (ready.length <= limit) return ready;
  return Array.from({ length: limit }, (_, i) => ready[Math.floor((i * ready.length) / limit)]!);
}

async function get(kube: RawGetter, path: string): Promise<ProxyOutcome> {
  try {
    return classifyProxy(await kube.raw('GET', path));
  } catch (e) {
    return classifyProxy({ error: e as Error });
  }
}

export async function probePods(kube: RawGetter, namespace: string, pods: readonly PodLike[]): Promise<PodProbe[]> {
  return Promise.all(
    pods.map(async (p) => {
      const base = `/api/v1/namespaces/${namespace}/pods/${p.metadata.name}`;
      const reg = namedPort(p, 'registry', 5000);
      const met = namedPort(p, 'metrics', 9090);
      const [readyz, metrics, metadata] = await Promise.all([
        get(kube, `${base}:${reg}/proxy/readyz`),
        get(kube, `${base}:${met}/proxy/metrics`),
        get(kube, `${base}:${met}/proxy/debug/web/metadata`),
      ]);
      return { node: p.spec?.nodeName ?? '?', pod: p.metadata.name, readyz, metrics, metadata };
    }),
  );
}

const bad = (o: ProxyOutcome) => o.kind === 'refused' || o.kind === 'http-error';
const describe = (o: ProxyOutcome) => (o.kind === 'http-error' ? `HTTP ${o.status}: ${o.detail}` : o.kind === 'ok' ? 'ok' : o.detail);

function unreachableVerdict(name: string, probes: readonly PodProbe[], pick: (p: PodProbe) => ProxyOutcome, what: string): Check | undefined {
  const unreachable = probes.filter((p) => pick(p).kind === 'unreachable');
  if (unreachable.length === 0) return undefined;
  const reason = describe(pick(unreachable[0]!));
  if (unreachable.length === probes.length) {
    return warn(name, `the API server cannot reach the Spegel pods (${reason}), so ${what} cannot be read through the pod proxy; pod readiness (the kubelet's /readyz probe) is covered by spegel.pod-on-every-node`, unreachable.map((p) => p.node));
  }
  return undefined;
}

export function readyzCheck(probes: readonly PodProbe[]): Check {
  if (probes.length === 0) return warn(PROBE_CHECK.readyz, 'no Ready Spegel pod to probe');
  const failing = probes.filter((p) => bad(p.readyz));
  if (failing.length > 0) {
    return fail(PROBE_CHECK.readyz, `/readyz fails (no peer in the routing table yet, or Spegel not listening) on: ${nameList(failing.map((p) => `${p.node} (${describe(p.readyz)})`))}`, failing.map((p) => p.node));
  }
  const u = unreachableVerdict(PROBE_CHECK.readyz, probes, (p) => p.readyz, '/readyz');
  if (u) return u;
  const partial = probes.filter((p) => p.readyz.kind === 'unreachable');
  if (partial.length > 0) return warn(PROBE_CHECK.readyz, `pod proxy could not reach: ${nameList(partial.map((p) => `${p.node} (${describe(p.readyz)})`))}`, partial.map((p) => p.node));
  return pass(PROBE_CHECK.readyz, `/readyz answers 200 on ${probes.length} sampled pods (each has at least one peer)`, { sampled: probes.length });
}

export function metricsCheck(probes: readonly PodProbe[], nowSeconds: number): Check {
  if (probes.length === 0) return warn(PROBE_CHECK.metrics, 'no Ready Spegel pod to read metrics from');
  const u = unreachableVerdict(PROBE_CHECK.metrics, probes, (p) => p.metrics, 'the metrics');
  if (u) return u;
  const failing = probes.filter((p) => bad(p.metrics));
  if (failing.length > 0) return fail(PROBE_CHECK.metrics, `metrics endpoint fails on: ${nameList(failing.map((p) => `${p.node} (${describe(p.metrics)})`))}`, failing.map((p) => p.node));
  const samples = probes.flatMap((p) => (p.metrics.kind === 'ok' ? parsePrometheus(p.metrics.body) : []));
  if (!samples.some((s) => s.name.startsWith('spegel_'))) return fail(PROBE_CHECK.metrics, 'the metrics endpoint exposes no spegel_* metric: is this Spegel?');
  const hits = sum(samples, 'spegel_mirror_requests_total', { cache: 'hit' });
  const misses = sum(samples, 'spegel_mirror_requests_total', { cache: 'miss' });
  const last = max(samples, 'spegel_mirror_last_success_timestamp_seconds');
  const digests = sum(samples, 'spegel_advertised_image_digests');
  const m = { mirrorHits: hits, mirrorMisses: misses, advertisedDigests: digests, ...(last > 0 ? { lastMirrorSuccessAgeSeconds: Math.max(0, Math.round(nowSeconds - last)) } : {}) };
  if (hits === 0 || last === 0) {
    const c = warn(
      PROBE_CHECK.metrics,
      `no pull has been served by a peer yet on ${probes.length} sampled pods (${hits} hits, ${misses} misses): pull one image with imagePullPolicy: Always on two nodes; if misses grow and hits stay 0, containerd is not routing pulls to Spegel (run the node-config check)`,
    );
    return { ...c, metrics: m };
  }
  return pass(PROBE_CHECK.metrics, `${hits} mirror hits and ${misses} misses on ${probes.length} sampled pods; last peer-served pull ${m.lastMirrorSuccessAgeSeconds}s ago`, m);
}

export function peerId(o: ProxyOutcome): string | undefined {
  if (o.kind !== 'ok') return undefined;
  try {
    const id = (JSON.parse(o.body) as { libp2p?: { id?: unknown } }).libp2p?.id;
    return typeof id === 'string' && id.length > 0 ? id : undefined;
  } catch {
    return undefined;
  }
}

export function peersCheck(probes: readonly PodProbe[], discoverable: number): Check {
  if (probes.length === 0) return warn(PROBE_CHECK.peers, 'no Ready Spegel pod to ask for its peer ID');
  const u = unreachableVerdict(PROBE_CHECK.peers, probes, (p) => p.metadata, 'peer IDs');
  if (u) return u;
  const withId = probes.map((p) => ({ p, id: peerId(p.metadata) }));
  const missing = withId.filter((x) => !x.id && x.p.metadata.kind !== 'unreachable');
  if (missing.length > 0) return fail(PROBE_CHECK.peers, `no libp2p peer ID from /debug/web/metadata on: ${nameList(missing.map((x) => `${x.p.node} (${describe(x.p.metadata)})`))}`, missing.map((x) => x.p.node));
  const seen = new Map<string, string[]>();
  for (const x of withId) if (x.id) seen.set(x.id, [...(seen.get(x.id) ?? []), x.p.node]);
  const dup = [...seen.values()].filter((nodes) => nodes.length > 1).flat();
  if (dup.length > 0) return fail(PROBE_CHECK.peers, `several nodes share one libp2p identity (copied ${'/var/lib/spegel'}?): ${nameList(dup)}`, dup);
  if (discoverable < 2) return warn(PROBE_CHECK.peers, `only ${discoverable} peer(s) discoverable through the bootstrap Service: Spegel needs at least 2 nodes`);
  return pass(PROBE_CHECK.peers, `${seen.size} sampled pods have distinct peer IDs; ${discoverable} peers discoverable`, { distinctPeerIds: seen.size, discoverablePeers: discoverable });
}
