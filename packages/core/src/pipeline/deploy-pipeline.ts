/**
 * The per-cluster deploy pipeline, generic over components: preflight (concurrent), plan
 * (concurrent), then — only when something would change — lock, deploy each changed component in
 * order (snapshot, apply with retries on transient failures, wait), verify, record, unlock. Every
 * snapshot is read right after the lock is taken, all at once; each component's turn uses its own.
 * Components with a `stage` step are snapshotted and staged as soon as the lock is held,
 * concurrently with the ordered deploys of the components before them. When
 * step k fails, components k..1 return to their snapshots in reverse order (unless --no-rollback).
 * A run with nothing to change makes no write at all: no lock, no record, no apply.
 */
import os from 'node:os';
import { Listr, type ListrRendererValue, type ListrTask } from 'listr2';
import type { SecretIO } from '../config/secret-source.ts';
import { ConfigError, ExitCode, UnhealthyError } from '../errors.ts';
import type { RendererChoice } from '../renderer.ts';
import { DEFAULT_RETRY, realRetryIO, withRetry, type RetryIO, type RetryPolicy } from '../retry.ts';
import type { Check } from '../task/check.ts';
import { healthy } from '../task/check.ts';
import type { ClusterContext, Component, Snapshot } from '../task/component.ts';
import { hasChanges, type ComponentPlan } from '../task/plan.ts';
import { DeployLock } from './deploy-lock.ts';
import { recordDeploy, type DeployRun, type DeployResult } from './deploy-record.ts';
import { checkApi, checkCredentials, checkNodeArch, checkRights, requiredRights } from './preflight.ts';

/** Named points where tests inject failures. */
export type FaultPoint = `${'snapshot' | 'stage' | 'apply' | 'wait'}:${string}` | 'verify';

export interface DeployOptions {
  readonly dryRun?: boolean;
  /** @default true */
  readonly rollback?: boolean;
  /** @default true */
  readonly verify?: boolean;
  readonly renderer: RendererChoice;
  /** Who runs this, for the lock and the record. @default user@host */
  readonly who?: string;
  readonly secrets: SecretIO;
  readonly retry?: RetryPolicy;
  readonly retryIO?: RetryIO;
  readonly lockDurationSeconds?: number;
  readonly inject?: (point: FaultPoint) => void | Promise<void>;
  readonly now?: () => Date;
}

export type DeployOutcome = 'no-change' | 'planned' | 'succeeded' | 'failed' | 'rolled-back' | 'refused';

export interface DeployReport {
  readonly cluster: string;
  readonly outcome: DeployOutcome;
  readonly exitCode: number;
  readonly plans: readonly ComponentPlan[];
  readonly changed: readonly string[];
  readonly rolledBack: readonly string[];
  readonly rollbackErrors: readonly string[];
  readonly checks: readonly Check[];
  readonly error?: string;
  readonly durationMs: number;
}

interface Ctx {
  preflightErrors: unknown[];
  plans: ComponentPlan[];
  snapshots: Map<string, Snapshot>;
  applied: Component[];
  checks: Check[];
}

type Task = ListrTask<Ctx>;

function newList(tasks: Task[], renderer: RendererChoice, opts: { concurrent?: boolean; ctx?: Ctx } = {}) {
  return new Listr<Ctx, ListrRendererValue, ListrRendererValue>(tasks, {
    renderer,
    fallbackRenderer: 'simple',
    concurrent: opts.concurrent ?? false,
    exitOnError: true,
    ctx: opts.ctx,
    registerSignalListeners: false,
    rendererOptions: { collapseSubtasks: false },
  } as never);
}

export async function runDeploy(ctx: ClusterContext, components: readonly Component[], opts: DeployOptions): Promise<DeployReport> {
  const started = Date.now();
  const now = opts.now ?? (() => new Date());
  const who = opts.who ?? `${os.userInfo().username}@${os.hostname()}`;
  const retryPolicy = opts.retry ?? DEFAULT_RETRY;
  const retryIO: RetryIO = { ...(opts.retryIO ?? realRetryIO), onRetry: (n, ms, why) => ctx.log.warn(`retry ${n} in ${ms}ms: ${why}`) };
  const inject = async (p: FaultPoint) => opts.inject?.(p);
  const state: Ctx = { preflightErrors: [], plans: [], snapshots: new Map(), applied: [], checks: [] };
  const cluster = ctx.cluster;
  const enabled = components.filter((c) => cluster[c.name].enabled);
  const report = (outcome: DeployOutcome, exitCode: number, extra: Partial<DeployReport> = {}): DeployReport => ({
    cluster: cluster.name,
    outcome,
    exitCode,
    plans: state.plans,
    changed: state.applied.map((c) => c.name),
    rolledBack: [],
    rollbackErrors: [],
    checks: state.checks,
    durationMs: Date.now() - started,
    ...extra,
  });

  // 1. Preflight and plan: reads only (access reviews and server-side dry runs persist nothing).
  const planned = new Map<string, Promise<ComponentPlan>>();
  await newList(
    [
      {
        title: 'Preflight',
        task: (_, t) =>
          t.newListr(
            ([
              { title: 'API server reachable', task: async (_c, st) => void (st.title = `API server ${await withRetry(() => checkApi(ctx.kube), retryPolicy, retryIO)} reachable`) },
              { title: 'Rights for this deploy', task: () => checkRights(ctx.kube, requiredRights(cluster)) },
              { title: `Node architecture ${cluster.arch}`, task: async (_c, st) => void (st.output = await checkNodeArch(ctx.kube, cluster.arch)) },
              { title: 'GitHub credentials', task: async (_c, st) => void (st.output = await checkCredentials(cluster, opts.secrets, ctx.redactor)) },
              ...enabled.map(
                (c): Task => ({
                  title: `Fetch ${c.title} sources`,
                  task: async () => {
                    await withRetry(() => c.render(ctx), retryPolicy, retryIO);
                    // The plan only reads; it starts as soon as its sources are in, while other checks run.
                    const plan = withRetry(() => c.plan(ctx), retryPolicy, retryIO);
                    plan.catch(() => undefined); // awaited under "Plan", unless preflight fails first
                    planned.set(c.name, plan);
                  },
                }),
              ),
            ] satisfies Task[]).map(collectingErrors),
            { concurrent: true, exitOnError: false },
          ),
      },
      {
        // listr2 marks a parent done even when children of an exitOnError:false list failed;
        // every check ran, now fail with all their problems at once.
        title: 'Preflight verdict',
        task: (c) => throwCombined(c.preflightErrors),
      },
      {
        title: 'Plan',
        task: (c, t) =>
          t.newListr(
            enabled.map((comp): Task => ({
              title: comp.title,
              task: async (_c, st) => {
                const plan = await (planned.get(comp.name) ?? withRetry(() => comp.plan(ctx), retryPolicy, retryIO));
                c.plans.push(plan);
                const n = plan.changes.filter((x) => x.kind !== 'unchanged').length;
                st.title = `${comp.title}: ${n === 0 ? 'no changes' : `${n} change${n === 1 ? '' : 's'}`}`;
              },
            })),
            { concurrent: true },
          ),
      },
    ],
    opts.renderer,
    { ctx: state },
  ).run();
  // Keep plans in deploy order whatever order they finished in.
  state.plans.sort((a, b) => enabled.findIndex((c) => c.name === a.component) - enabled.findIndex((c) => c.name === b.component));

  const toDeploy = enabled.filter((c) => state.plans.some((p) => p.component === c.name && hasChanges(p)));
  if (opts.dryRun) return report('planned', toDeploy.length > 0 ? ExitCode.invalid : ExitCode.ok);
  if (toDeploy.length === 0) return report('no-change', ExitCode.ok);

  // 2. Something changes: take the lock, deploy in order, roll back on failure.
  const lock = new DeployLock(ctx.kube, `${who} pid ${process.pid}`, { durationSeconds: opts.lockDurationSeconds, now });
  await lock.acquire();
  let outcome: DeployResult = 'succeeded';
  let error: string | undefined;
  const rolledBack: string[] = [];
  const rollbackErrors: string[] = [];
  const order = (c: Component) => enabled.indexOf(c);
  const touched = (comp: Component) => {
    state.applied.push(comp);
    state.applied.sort((a, b) => order(a) - order(b));
  };
  // Every snapshot is read as soon as the lock is held, all at once: the state before this run is
  // the state at this moment, and a component's turn then does not wait for its reads. A component
  // counts as touched (rolled back on failure) from its turn, or from its staging.
  const reads = new Map<string, Promise<Snapshot>>();
  for (const comp of toDeploy) {
    const read = (async () => {
      await inject(`snapshot:${comp.name}`);
      return withRetry(() => comp.snapshot(ctx), retryPolicy, retryIO);
    })();
    read.catch(() => undefined); // surfaces at the component's turn
    reads.set(comp.name, read);
  }
  const snapshotOf = async (comp: Component) => {
    state.snapshots.set(comp.name, await reads.get(comp.name)!);
    touched(comp);
  };
  // Staging starts now, before the ordered list; each staged component's own turn awaits it.
  const staged = new Map<string, Promise<void>>();
  const neededNow = new Map<string, () => void>();
  for (const comp of toDeploy) {
    if (!comp.stage) continue;
    const needed = new Promise<void>((resolve) => neededNow.set(comp.name, resolve));
    const done = (async () => {
      await snapshotOf(comp);
      await inject(`stage:${comp.name}`);
      const summary = await withRetry(() => comp.stage!(ctx, state.snapshots.get(comp.name), needed), retryPolicy, retryIO);
      if (summary) ctx.log.info(summary);
    })();
    done.catch(() => undefined); // surfaces at the component's turn, or is awaited before rollback
    staged.set(comp.name, done);
  }
  try {
    try {
      await newList(
        toDeploy.map(
          (comp): Task => ({
            title: `Deploy ${comp.title}`,
            task: (c, t) =>
              t.newListr([
                {
                  title: staged.has(comp.name) ? 'Record the state to return to (before staging)' : 'Record the state to return to',
                  task: async () => {
                    const early = staged.get(comp.name);
                    neededNow.get(comp.name)?.();
                    if (early) await early;
                    else await snapshotOf(comp);
                  },
                },
                {
                  title: 'Apply',
                  task: async (_c, st) => {
                    await inject(`apply:${comp.name}`);
                    st.output = (await withRetry(() => comp.apply(ctx, c.snapshots.get(comp.name)), retryPolicy, retryIO)).summary;
                  },
                },
                {
                  title: 'Wait until ready',
                  task: async () => {
                    await inject(`wait:${comp.name}`);
                    await withRetry(() => comp.wait(ctx), retryPolicy, retryIO);
                  },
                },
              ]),
          }),
        ),
        opts.renderer,
        { ctx: state },
      ).run();
    } catch (e) {
      error = ctx.redactor.redact((e as Error).message ?? String(e));
      outcome = 'failed';
      // A stage still running would race the rollback: let it finish (or fail) first.
      await Promise.allSettled([...staged.values(), ...reads.values()]);
      if (opts.rollback !== false) {
        for (const comp of [...state.applied].reverse()) {
          try {
            await withRetry(() => comp.rollback(ctx, state.snapshots.get(comp.name)), retryPolicy, retryIO);
            rolledBack.push(comp.name);
          } catch (re) {
            rollbackErrors.push(`${comp.name}: ${ctx.redactor.redact((re as Error).message)}`);
          }
        }
        ctx.log.warn(`deploy failed: ${error}; rolled back ${rolledBack.join(', ') || 'nothing'}${rollbackErrors.length ? `; rollback failed for ${rollbackErrors.join('; ')}` : ''}`);
        if (rollbackErrors.length === 0) outcome = 'rolled-back';
      } else {
        ctx.log.warn(`deploy failed: ${error}; --no-rollback: the failed state is kept for debugging`);
      }
    }
    if (outcome === 'succeeded' && opts.verify !== false) {
      await inject('verify');
      state.checks = (await Promise.all(enabled.map((c) => c.verify(ctx)))).flat();
      if (!healthy(state.checks)) {
        outcome = 'failed';
        error = `verification failed: ${state.checks.filter((c) => c.status === 'fail').map((c) => c.name).join(', ')}`;
      }
    }
    const run: DeployRun = {
      id: `${started}-${process.pid}`,
      cluster: cluster.name,
      who,
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      result: outcome,
      versions: Object.fromEntries(enabled.map((c) => [c.name, versionOf(ctx, c)])),
      changed: state.applied.map((c) => c.name),
      rolledBack,
      error,
    };
    await withRetry(() => recordDeploy(ctx.kube, run), retryPolicy, retryIO).catch((e: Error) => ctx.log.warn(`could not record the deploy: ${e.message}`));
  } finally {
    await lock.release().catch((e: Error) => ctx.log.warn(`could not release the deploy lock (it expires by itself): ${e.message}`));
  }
  const exit = outcome === 'succeeded' ? ExitCode.ok : ExitCode.failed;
  return report(outcome === 'succeeded' ? 'succeeded' : outcome, exit, { rolledBack, rollbackErrors, error });
}

/** Runs a task, keeping its error in ctx.preflightErrors (and still failing the task). */
function collectingErrors(t: Task): Task {
  return {
    ...t,
    task: async (c, w) => {
      try {
        return await (t.task as (c: Ctx, w: unknown) => Promise<unknown>)(c, w);
      } catch (e) {
        c.preflightErrors.push(e);
        throw e;
      }
    },
  };
}

/** One error for every preflight problem: all input problems as one ConfigError (exit 2), else the first failure with the others appended. */
function throwCombined(errors: readonly unknown[]): void {
  if (errors.length === 0) return;
  const config = errors.filter((e): e is ConfigError => e instanceof ConfigError);
  if (config.length === errors.length) throw new ConfigError(config.flatMap((e) => e.issues));
  const messages = errors.map((e) => (e instanceof Error ? e.message : String(e)));
  throw new UnhealthyError(`preflight failed, nothing was changed: ${messages.join('; ')}`);
}

function versionOf(ctx: ClusterContext, c: Component): string {
  const cl = ctx.cluster;
  if (c.name === 'spegel') return cl.spegel.chart.version;
  if (c.name === 'digester') return cl.digester.manifests.version;
  return cl.arc.controller.chart.version;
}
