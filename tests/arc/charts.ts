/**
 * ARC charts for the cluster suites: packaged from upstream checkouts (never committed) and pushed to
 * the harness registry, like tests/harness/src/upstream.ts does for 0.14.2, for any version. In CI
 * the Go module proxy refuses the ARC module, so there are no checkouts and the suites skip.
 *   STATELESS_CI_UPSTREAM_ARC_DIR            checkout at gha-runner-scale-set-0.14.2
 *   STATELESS_CI_UPSTREAM_ARC_PREVIOUS_DIR   checkout at gha-runner-scale-set-0.13.1
 *                                            (default: arc-0.13.1 next to the 0.14.2 checkout)
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Harness } from '../harness/src/index.ts';
import { cliOk } from '../harness/fixture.ts';

export const CURRENT = '0.14.2';
export const PREVIOUS = '0.13.1';
const CHARTS = ['gha-runner-scale-set-controller', 'gha-runner-scale-set'] as const;

const hasCharts = (dir: string | undefined): dir is string => Boolean(dir && CHARTS.every((c) => existsSync(join(dir, 'charts', c, 'Chart.yaml'))));

export function arcChartDir(version: typeof CURRENT | typeof PREVIOUS, env: NodeJS.ProcessEnv = process.env): { dir?: string; reason?: string } {
  const current = env.STATELESS_CI_UPSTREAM_ARC_DIR;
  if (!hasCharts(current)) {
    return { reason: `no ARC ${CURRENT} charts: STATELESS_CI_UPSTREAM_ARC_DIR ${current ? `(${current}) has no charts/` : 'is unset'} (the Go module proxy refuses github.com/actions/actions-runner-controller)` };
  }
  if (version === CURRENT) return { dir: current };
  const previous = env.STATELESS_CI_UPSTREAM_ARC_PREVIOUS_DIR ?? join(dirname(current), `arc-${PREVIOUS}`);
  return hasCharts(previous) ? { dir: previous } : { reason: `no ARC ${PREVIOUS} charts at ${previous}: set STATELESS_CI_UPSTREAM_ARC_PREVIOUS_DIR to a checkout at gha-runner-scale-set-${PREVIOUS}` };
}

/** Packages both charts at `version` and pushes them to oci://<registry>/charts. */
export async function pushArcCharts(h: Harness, dir: string, version: string): Promise<void> {
  const out = await mkdtemp(join(tmpdir(), `arc-charts-${version}-`));
  try {
    for (const chart of CHARTS) {
      await cliOk(h, ['helm', 'package', join(dir, 'charts', chart), '--version', version, '--app-version', version, '--destination', out]);
      await cliOk(h, ['helm', 'push', join(out, `${chart}-${version}.tgz`), `oci://${h.registry}/charts`, '--plain-http']);
    }
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}
