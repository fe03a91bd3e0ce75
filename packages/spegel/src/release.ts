/**
 * The release's current revision, read from `helm history` (works on helm 3 and 4; `helm list
 * --all`, which core's Helm.status uses, is gone in helm 4).
 */
import type { Helm } from '@stateless-ci/core';

export interface ReleaseState {
  readonly revision: number;
  /** deployed, failed, pending-upgrade, … */
  readonly status: string;
  /** e.g. spegel-0.7.4 */
  readonly chart: string;
}

export async function releaseState(helm: Pick<Helm, 'history'>, release: string, namespace: string): Promise<ReleaseState | undefined> {
  const h = await helm.history(release, namespace);
  const last = [...h].sort((a, b) => a.revision - b.revision).at(-1);
  return last && { revision: last.revision, status: last.status, chart: last.chart };
}
