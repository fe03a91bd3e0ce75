/**
 * The one task model: every component exposes the same typed actions, so the CLI, the pipelines
 * and the tests drive them alike. `render` is pure with respect to the cluster (it may run helm
 * template, never contacts the API server); the others act on a live cluster.
 */
import type { ClusterConfig, ComponentName } from '../config/cluster-config.ts';
import type { Helm } from '../exec/helm.ts';
import type { Shell } from '../exec/shell.ts';
import type { Kube } from '../kube/kube.ts';
import type { KubeObject } from '../kube/kube-object.ts';
import type { Logger } from '../log.ts';
import type { Redactor } from '../redact.ts';
import type { SourceEnv } from '../config/sources.ts';
import type { Check } from './check.ts';
import type { ComponentPlan } from './plan.ts';

export type Action = 'render' | 'plan' | 'apply' | 'wait' | 'verify' | 'rollback' | 'uninstall';
export const ACTIONS: readonly Action[] = ['render', 'plan', 'apply', 'wait', 'verify', 'rollback', 'uninstall'];

export const ACTION_HELP: Readonly<Record<Action, string>> = {
  render: 'print the manifests this component would install, as multi-document YAML (no cluster contacted)',
  plan: 'show what a deploy would change against the live cluster',
  apply: 'install or upgrade the component',
  wait: 'wait until the component is rolled out and ready',
  verify: 'run the named health checks and print a verdict',
  rollback: 'return to the previous revision (or uninstall if there was none)',
  uninstall: 'remove the component from the cluster',
};

/** What a render needs: configuration and tools, no API server. */
export interface RenderContext {
  readonly cluster: ClusterConfig;
  readonly sh: Shell;
  readonly helm: Helm;
  readonly log: Logger;
  readonly redactor: Redactor;
  /** Environment for source overrides (mirrors) and secret lookups. */
  readonly env: SourceEnv;
  /** A scratch directory for fetched charts; removed by the caller. */
  readonly workDir: string;
}

/** What acting on a live cluster needs in addition. */
export interface ClusterContext extends RenderContext {
  readonly kube: Kube;
  readonly signal?: AbortSignal;
}

export interface Rendered {
  readonly objects: readonly KubeObject[];
  /** Helm values, when the component is a chart. */
  readonly values?: Readonly<Record<string, unknown>>;
}

/** What existed before an apply, so rollback can return exactly there. */
export interface Snapshot {
  readonly component: ComponentName;
  /** helm releases: the revision deployed before (undefined = not installed). */
  readonly releases: readonly { readonly release: string; readonly namespace: string; readonly revision?: number }[];
  /** Non-helm objects as they were (undefined = absent). */
  readonly objects?: readonly { readonly key: string; readonly before?: KubeObject }[];
}

export interface ApplyResult {
  /** False when nothing needed to change and nothing was written. */
  readonly changed: boolean;
  readonly summary: string;
}

export interface Component {
  readonly name: ComponentName;
  readonly title: string;
  render(ctx: RenderContext): Promise<Rendered>;
  plan(ctx: ClusterContext): Promise<ComponentPlan>;
  snapshot(ctx: ClusterContext): Promise<Snapshot>;
  /**
   * Optional early writes that start no workload and that no earlier component depends on (ARC's
   * CRDs, which the API server takes ~1 s to create and digest). The pipeline runs it right after
   * taking the lock, after this component's snapshot, while the earlier components deploy; `apply`
   * then finds them in place. Rollback to the snapshot undoes them. Returns a summary, or
   * undefined when there was nothing to stage. `before` is that snapshot, taken under the lock
   * just now: a component may decide from it rather than read the same objects again. `needed`
   * resolves when the pipeline reaches this component's turn and waits for the staging: from then
   * on it is on the critical path, so any polling inside should go at its fastest.
   */
  stage?(ctx: ClusterContext, before?: Snapshot, needed?: Promise<void>): Promise<string | undefined>;
  /**
   * `before` is the snapshot the pipeline took of this component just before, under the deploy
   * lock: a component may use it rather than read the same objects again. Standalone applies
   * (`pnpm task`) pass none.
   */
  apply(ctx: ClusterContext, before?: Snapshot): Promise<ApplyResult>;
  wait(ctx: ClusterContext): Promise<void>;
  verify(ctx: ClusterContext): Promise<Check[]>;
  /** Returns to `snapshot` when given, else to the previous helm revision. */
  rollback(ctx: ClusterContext, snapshot?: Snapshot): Promise<string>;
  uninstall(ctx: ClusterContext): Promise<void>;
}
