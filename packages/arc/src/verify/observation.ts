/** What verify looks at, gathered once, then judged by pure functions (one file per concern). */
import type { Arch, KubeObject } from '@stateless-ci/core';
import type { CrdState } from '../crds.ts';
import type { ArcNames } from '../names.ts';

export interface ContainerStatus {
  name: string;
  ready: boolean;
  restartCount: number;
  state?: { running?: object; waiting?: { reason?: string; message?: string }; terminated?: { reason?: string; exitCode?: number } };
  lastState?: { terminated?: { reason?: string; exitCode?: number; finishedAt?: string } };
}

export interface Pod extends KubeObject {
  spec?: { nodeName?: string; nodeSelector?: Record<string, string>; volumes?: { name: string; ephemeral?: unknown; persistentVolumeClaim?: unknown }[] };
  status?: { phase?: string; reason?: string; message?: string; containerStatuses?: ContainerStatus[] };
}

export interface Deployment extends KubeObject {
  spec?: { template?: { spec?: { containers?: { name: string; image?: string }[] } } };
  status?: { availableReplicas?: number; replicas?: number; conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}

export interface ArcObservation {
  readonly names: ArcNames;
  readonly arch: Arch;
  /** The controller chart version the cluster file asks for. */
  readonly wantVersion: string;
  readonly minRunners: number;
  readonly crds: readonly CrdState[];
  readonly controller?: Deployment;
  readonly scaleSet?: KubeObject;
  readonly listeners: readonly KubeObject[];
  readonly listenerPods: readonly Pod[];
  readonly runnerPods: readonly Pod[];
  /** Node name → kubernetes.io/arch label. */
  readonly nodeArch: Readonly<Record<string, string | undefined>>;
  /** Objects Terminating with the cleanup-protection finalizer, as `Kind/ns/name`. */
  readonly stuck: readonly string[];
}
