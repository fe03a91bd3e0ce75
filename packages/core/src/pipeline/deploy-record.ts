/**
 * The deploy record kept in the cluster: the last N runs (who, when, versions, result) in a
 * ConfigMap, newest first. Only runs that changed something are recorded: a no-op run writes
 * nothing at all.
 */
import type { Kube } from '../kube/kube.ts';
import type { KubeObject } from '../kube/kube-object.ts';
import { RECORD_NAME, STATE_NAMESPACE } from './state-namespace.ts';

export type DeployResult = 'succeeded' | 'failed' | 'rolled-back';

export interface DeployRun {
  readonly id: string;
  readonly cluster: string;
  readonly who: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly result: DeployResult;
  /** component → version deployed (chart or manifest version). */
  readonly versions: Readonly<Record<string, string>>;
  readonly changed: readonly string[];
  readonly rolledBack: readonly string[];
  readonly error?: string;
}

export const RECORD_KEEP = 20;

/** Pure: the new history with `run` first, trimmed to `keep`. */
export function appendRun(history: readonly DeployRun[], run: DeployRun, keep = RECORD_KEEP): DeployRun[] {
  return [run, ...history.filter((r) => r.id !== run.id)].slice(0, keep);
}

export async function readDeployHistory(kube: Kube): Promise<DeployRun[]> {
  const cm = await kube.read<KubeObject & { data?: Record<string, string> }>({ apiVersion: 'v1', kind: 'ConfigMap', name: RECORD_NAME, namespace: STATE_NAMESPACE });
  try {
    return JSON.parse(cm?.data?.['runs.json'] ?? '[]') as DeployRun[];
  } catch {
    return [];
  }
}

export async function recordDeploy(kube: Kube, run: DeployRun): Promise<void> {
  const runs = appendRun(await readDeployHistory(kube), run);
  await kube.apply({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: RECORD_NAME, namespace: STATE_NAMESPACE, labels: { 'app.kubernetes.io/managed-by': 'stateless-ci' } },
    data: { 'runs.json': JSON.stringify(runs, null, 1), last: `${run.startedAt} ${run.result} by ${run.who}` },
  });
}
