/**
 * Helm values for the gha-runner-scale-set chart. Pure: cluster file in, values out.
 *  - credentials are referenced by Secret name only, so no secret ever passes through helm values;
 *  - controllerServiceAccount is explicit (the chart's `lookup` returns nothing under helm template);
 *  - kubernetes-novolume: no Docker-in-Docker, no PVC; volumes and mounts are explicitly empty;
 *  - runner pods are pinned to the cluster's architecture.
 * Chart 0.13.x renders `volumes: null` / `volumeMounts: null` in kubernetes-novolume mode, which the
 * API server rejects (ARC #4411, fixed in 0.14.2 by #4461); for 0.13.x only, one emptyDir (not a
 * PVC) mounted at /tmp makes both lists non-empty. 0.14+ gets the empty lists.
 */
import type { ClusterConfig } from '@stateless-ci/core';
import { arcNames, minorOf } from './names.ts';

export interface RunnerContainer {
  readonly name: 'runner';
  readonly image: string;
  readonly command: readonly string[];
  readonly resources: {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly cpu: string; readonly memory: string };
  };
  readonly volumeMounts: readonly { readonly name: string; readonly mountPath: string }[];
}

export interface ScaleSetValues {
  readonly githubConfigUrl: string;
  /** Name of the Secret in the runner namespace, never an inline map. */
  readonly githubConfigSecret: string;
  readonly runnerScaleSetName: string;
  readonly runnerGroup?: string;
  readonly minRunners: number;
  readonly maxRunners: number;
  readonly containerMode: { readonly type: 'kubernetes-novolume' };
  readonly controllerServiceAccount: { readonly namespace: string; readonly name: string };
  readonly template: {
    readonly spec: {
      readonly nodeSelector: Readonly<Record<string, string>>;
      readonly volumes: readonly { readonly name: string; readonly emptyDir: Readonly<Record<string, never>> }[];
      readonly containers: readonly [RunnerContainer];
    };
  };
}

export const RUNNER_COMMAND: readonly string[] = ['/home/runner/run.sh'];

/** The ARC #4411 workaround volume, for chart 0.13.x only. */
export const NOVOLUME_013_WORKAROUND = { volume: { name: 'runner-tmp', emptyDir: {} }, mount: { name: 'runner-tmp', mountPath: '/tmp' } } as const;

export function scaleSetValues(c: ClusterConfig): ScaleSetValues {
  const n = arcNames(c);
  const rs = c.arc.runnerSet;
  const w = minorOf(rs.chart.version) === '0.13' ? NOVOLUME_013_WORKAROUND : undefined;
  return {
    githubConfigUrl: c.arc.githubConfigUrl.replace(/\/+$/, ''),
    githubConfigSecret: n.credentialsSecret,
    runnerScaleSetName: rs.name,
    ...(rs.runnerGroup ? { runnerGroup: rs.runnerGroup } : {}),
    minRunners: rs.minRunners,
    maxRunners: rs.maxRunners,
    containerMode: { type: c.arc.containerMode },
    controllerServiceAccount: { namespace: n.controllerNamespace, name: n.controllerServiceAccount },
    template: {
      spec: {
        nodeSelector: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': c.arch },
        volumes: w ? [w.volume] : [],
        containers: [
          {
            name: 'runner',
            image: rs.runnerImage,
            command: RUNNER_COMMAND,
            resources: {
              requests: { cpu: rs.resources.requests.cpu, memory: rs.resources.requests.memory },
              limits: { cpu: rs.resources.limits.cpu, memory: rs.resources.limits.memory },
            },
            volumeMounts: w ? [w.mount] : [],
          },
        ],
      },
    },
  };
}
