/**
 * Names and labels ARC uses, derived from the cluster file the same way the upstream charts derive
 * them (chart 0.14.2 `_helpers.tpl`), so plan, verify and uninstall find what helm created.
 */
import type { ClusterConfig } from '@stateless-ci/core';

export const ARC_GROUP = 'actions.github.com';
export const ARC_API = 'actions.github.com/v1alpha1';
export const CONTROLLER_CHART = 'gha-runner-scale-set-controller';
export const SCALE_SET_CHART = 'gha-runner-scale-set';

/** The four CRDs the controller chart ships in `crds/`, by plural. */
export const CRD_PLURALS = ['autoscalingrunnersets', 'autoscalinglisteners', 'ephemeralrunnersets', 'ephemeralrunners'] as const;
export const CRD_NAMES: readonly string[] = CRD_PLURALS.map((p) => `${p}.${ARC_GROUP}`);

/** Set by the chart on kube-mode and manager objects; only a running controller removes it. */
export const CLEANUP_FINALIZER = 'actions.github.com/cleanup-protection';
/** Set by the controller once the scale set exists on GitHub (proves URL and credentials). */
export const SCALE_SET_ID_ANNOTATION = 'runner-scale-set-id';
export const SCALE_SET_NAME_LABEL = 'actions.github.com/scale-set-name';
export const VERSION_LABEL = 'app.kubernetes.io/version';
export const LISTENER_COMPONENT = 'runner-scale-set-listener';
export const LISTENER_CONTAINER = 'listener';

/** Our own annotations on the CRDs we apply, so the next plan knows which chart they came from. */
export const CRD_CHART_VERSION_ANNOTATION = 'stateless-ci/arc-chart-version';
export const CRD_SPEC_HASH_ANNOTATION = 'stateless-ci/crd-spec-sha256';

export interface ArcNames {
  readonly controllerNamespace: string;
  readonly runnersNamespace: string;
  readonly controllerRelease: string;
  /** Deployment and ServiceAccount `<release>-gha-rs-controller`. */
  readonly controllerDeployment: string;
  readonly controllerServiceAccount: string;
  /** Scale set: helm release, AutoscalingRunnerSet and `runs-on:` label. */
  readonly scaleSet: string;
  /** The GitHub credentials Secret in the runner namespace. */
  readonly credentialsSecret: string;
}

/** The chart's `fullname`: the release name alone when it already contains the base name. */
export function controllerFullname(release: string): string {
  const base = 'gha-rs-controller';
  return (release.includes(base) ? release : `${release}-${base}`).slice(0, 63).replace(/-+$/, '');
}

export function arcNames(c: ClusterConfig): ArcNames {
  const full = controllerFullname(c.arc.controller.release);
  return {
    controllerNamespace: c.namespaces.controller,
    runnersNamespace: c.namespaces.runners,
    controllerRelease: c.arc.controller.release,
    controllerDeployment: full,
    controllerServiceAccount: full,
    scaleSet: c.arc.runnerSet.name,
    credentialsSecret: `${c.arc.runnerSet.name}-github-config`,
  };
}

/** `gha-runner-scale-set-controller-0.13.1` → `0.13.1` (helm list's chart column). */
export function chartVersionOf(chartColumn: string, chart: string): string | undefined {
  return chartColumn.startsWith(`${chart}-`) ? chartColumn.slice(chart.length + 1) : undefined;
}

/** `0.14.2` → `0.14`; undefined for anything that is not x.y[.z]. */
export function minorOf(version: string | undefined): string | undefined {
  const m = /^v?(\d+)\.(\d+)(\.\d+)?/.exec(version ?? '');
  return m ? `${m[1]}.${m[2]}` : undefined;
}
