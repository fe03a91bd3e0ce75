/** Builders for unit tests: a parsed cluster config and Kubernetes-shaped objects. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadClusterFile, type ClusterConfig } from '@stateless-ci/core';

const CLUSTERS = path.resolve(import.meta.dirname, '../../clusters');

export async function theiaProd(): Promise<ClusterConfig> {
  return loadClusterFile('theia-prod', CLUSTERS, { readFile: async (p) => readFileSync(p, 'utf8'), listClusters: async () => ['theia-prod', 'parma'] });
}

export const fixture = (name: string): string => readFileSync(path.resolve(import.meta.dirname, 'fixtures', name), 'utf8');

export function node(name: string, o: { taints?: { key: string; value?: string; effect: string }[]; ready?: boolean; runtime?: string; labels?: Record<string, string> } = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/os': 'linux', ...o.labels } },
    spec: { taints: o.taints },
    status: { conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }], nodeInfo: { containerRuntimeVersion: o.runtime ?? 'containerd://2.1.4' } },
  };
}

export function pod(name: string, nodeName: string, o: { ready?: boolean; phase?: string; restarts?: number; initExit?: number } = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'spegel' },
    spec: { nodeName, containers: [{ name: 'registry', ports: [{ name: 'registry', containerPort: 5000 }, { name: 'metrics', containerPort: 9090 }] }] },
    status: {
      phase: o.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }],
      initContainerStatuses: [{ name: 'configuration', state: { terminated: { exitCode: o.initExit ?? 0 } } }],
      containerStatuses: [{ name: 'registry', restartCount: o.restarts ?? 0 }],
    },
  };
}

export function daemonSet(o: { desired: number; updated?: number; ready?: number; generation?: number; observed?: number; tolerations?: unknown[] }) {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'spegel', namespace: 'spegel', generation: o.generation ?? 1 },
    spec: { template: { spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, tolerations: o.tolerations ?? [{ operator: 'Exists' }] } } },
    status: {
      observedGeneration: o.observed ?? o.generation ?? 1,
      desiredNumberScheduled: o.desired,
      updatedNumberScheduled: o.updated ?? o.desired,
      numberReady: o.ready ?? o.desired,
      numberAvailable: o.ready ?? o.desired,
    },
  };
}
