/** Test control plane for stateless-ci: etcd + kube-apiserver + kcm + scheduler + kwok + OCI registry, in a netns. */
export type { Profile, Arch } from './profile.ts';
export { archOf, isProfile, profiles } from './profile.ts';
export type { Harness, HarnessOptions, AddNodeOptions } from './harness.ts';
export { up, attach } from './harness.ts';
export { inIsolatedNetns, currentNetnsName, createNetns, deleteNetns, netnsExists, hasDefaultRoute } from './netns.ts';
export type { UpstreamResult, UpstreamName } from './upstream.ts';
export { prepareUpstream, downloadUpstreamModules, defaultUpstreamEnv, manifestsArtifactType, manifestsLayerMediaType } from './upstream.ts';
export type { KubeClient, WatchEvent } from './kube-client.ts';
export type { Taint, NodeOptions } from './nodes.ts';
export { watchUntil, type KubeObject } from './watch-until.ts';
export { podLogLines } from './kwok-config.ts';
export { readVersions, type Versions } from './versions.ts';
export { ensureBinaries, locateBinaries, cacheDir } from './binaries.ts';
export {
  HarnessError,
  HostNetnsError,
  BinaryNotFoundError,
  ReadinessTimeoutError,
  ProcessExitedError,
  CommandFailedError,
  KubeApiError,
  StateNotFoundError,
} from './errors.ts';
export { run, type Runner, type RunResult } from './run.ts';
export { AUDIT_POLICY, auditEvents, auditMark, isClientWrite, isClientRequest, type AuditEvent } from './audit.ts';
export { startStandIns, type StandIns } from './stand-ins/kubelet-stand-in.ts';
export { startLatencyProxy, type LatencyProxy, type LatencyProxyOptions } from './latency-proxy.ts';
