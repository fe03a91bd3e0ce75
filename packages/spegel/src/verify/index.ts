/**
 * Verify: a fixed set of reads (one DaemonSet get, one node list, one pod list, one Service list,
 * one EndpointSlice list) plus a bounded sample of pod-proxy probes, whatever the node count; then,
 * only when asked, the per-node containerd configuration check.
 */
import type { Check, ClusterContext, Kube } from '@stateless-ci/core';
import { spegelNames, type SpegelNames } from '../names.ts';
import type { DaemonSetObject } from '../rollout.ts';
import { everyNodeCheck, podHealthCheck, rolloutCheck } from './coverage.ts';
import { DEFAULT_NODE_CONFIG, nodeConfigCheck, type NodeConfigOptions } from './node-config.ts';
import { metricsCheck, peersCheck, probePods, readyzCheck, samplePods } from './pod-probes.ts';
import type { PodLike } from './pods.ts';
import { runtimeCheck } from './runtime.ts';
import type { NodeLike } from './scheduling.ts';
import { servicesCheck, type EndpointSliceLike, type ServiceLike } from './services.ts';

export interface VerifyOptions {
  /** Pods probed through the API server proxy; 0 turns the HTTP checks off. @default 5 */
  readonly probePods?: number;
  /** Run the per-node containerd check (one short-lived Job per node). @default false */
  readonly nodeConfig?: boolean | Partial<NodeConfigOptions>;
  /** Seconds since the epoch, for metric ages. */
  readonly now?: () => number;
}

export type VerifyKube = Pick<Kube, 'read' | 'list' | 'raw'>;

export interface CoreVerdict {
  readonly checks: Check[];
  readonly eligible: readonly NodeLike[];
}

/** Everything but the node-config check; the number of API requests is independent of node count. */
export async function verifyCore(kube: VerifyKube, n: SpegelNames, o: VerifyOptions = {}): Promise<CoreVerdict> {
  const where = `${n.namespace}/${n.daemonSet}`;
  const [ds, nodes, pods, services, slices] = await Promise.all([
    kube.read<DaemonSetObject>({ apiVersion: 'apps/v1', kind: 'DaemonSet', name: n.daemonSet, namespace: n.namespace }),
    kube.list('v1', 'Node') as unknown as Promise<NodeLike[]>,
    kube.list('v1', 'Pod', { namespace: n.namespace, labelSelector: n.podSelector }) as unknown as Promise<PodLike[]>,
    kube.list('v1', 'Service', { namespace: n.namespace }) as unknown as Promise<ServiceLike[]>,
    kube.list('discovery.k8s.io/v1', 'EndpointSlice', { namespace: n.namespace, labelSelector: `kubernetes.io/service-name=${n.bootstrapService}` }) as unknown as Promise<EndpointSliceLike[]>,
  ]);
  const coverage = everyNodeCheck(ds, nodes, pods);
  const checks: Check[] = [rolloutCheck(ds, where), coverage.check, podHealthCheck(pods), runtimeCheck(coverage.eligible), servicesCheck(n, services, slices, pods.length)];
  const limit = o.probePods ?? 5;
  if (limit > 0) {
    const probes = await probePods(kube, n.namespace, samplePods(pods, limit));
    const discoverable = slices.reduce((a, s) => a + (s.endpoints ?? []).reduce((b, e) => b + (e.addresses?.length ?? 0), 0), 0);
    checks.push(readyzCheck(probes), metricsCheck(probes, (o.now ?? (() => Date.now() / 1000))()), peersCheck(probes, discoverable));
  }
  return { checks, eligible: coverage.eligible };
}

/** Reads `STATELESS_CI_SPEGEL_NODE_CHECK=1` / `STATELESS_CI_SPEGEL_PROBE_IMAGE` when options leave them open. */
export function optionsFromEnv(env: ClusterContext['env'], o: VerifyOptions): VerifyOptions {
  if (o.nodeConfig !== undefined || env.STATELESS_CI_SPEGEL_NODE_CHECK !== '1') return o;
  return { ...o, nodeConfig: env.STATELESS_CI_SPEGEL_PROBE_IMAGE ? { image: env.STATELESS_CI_SPEGEL_PROBE_IMAGE } : true };
}

export async function verifySpegel(ctx: ClusterContext, options: VerifyOptions = {}): Promise<Check[]> {
  const o = optionsFromEnv(ctx.env, options);
  const n = spegelNames(ctx.cluster.spegel);
  const { checks, eligible } = await verifyCore(ctx.kube, n, o);
  if (o.nodeConfig) {
    const nc = { ...DEFAULT_NODE_CONFIG, ...(typeof o.nodeConfig === 'object' ? o.nodeConfig : {}) };
    checks.push(await nodeConfigCheck(ctx, n, eligible, nc));
  }
  return checks;
}
