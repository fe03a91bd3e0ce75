/**
 * Helm values for the gha-runner-scale-set-controller chart. Pure: cluster file in, values out.
 * Only what we deliberately choose is set; everything else keeps the chart's default.
 */
import type { ClusterConfig } from '@stateless-ci/core';
import { arcNames } from './names.ts';

export interface ControllerValues {
  readonly replicaCount: number;
  /** Named explicitly so the scale-set chart's `controllerServiceAccount` can name it too. */
  readonly serviceAccount: { readonly create: true; readonly name: string };
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly flags: { readonly logLevel: 'info'; readonly logFormat: 'text' };
  /** Without this block the chart disables controller and listener metrics. */
  readonly metrics: { readonly controllerManagerAddr: string; readonly listenerAddr: string; readonly listenerEndpoint: string };
}

export function controllerValues(c: ClusterConfig): ControllerValues {
  const n = arcNames(c);
  return {
    replicaCount: 1,
    serviceAccount: { create: true, name: n.controllerServiceAccount },
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    flags: { logLevel: 'info', logFormat: 'text' },
    metrics: { controllerManagerAddr: ':8080', listenerAddr: ':8080', listenerEndpoint: '/metrics' },
  };
}
