/** `pnpm verify:amd|arm`: every check, as a table (or --json); exit 1 when anything is unhealthy. */
import { CLUSTER_FLAGS, ExitCode, createRuntime, flagHelp, loadCluster, parseFlags, requireFlag } from '@stateless-ci/core';
import { COMPONENTS_IN_ORDER, verifyCluster } from '@stateless-ci/verify';
import { formatChecks } from './format.ts';
import type { Output } from './task-command.ts';

export async function verifyCommand(argv: readonly string[], out: Output): Promise<number> {
  const parsed = parseFlags(argv, CLUSTER_FLAGS);
  if (parsed.help) {
    out.stdout(`usage: pnpm verify:amd|verify:arm [flags]\n\nRuns every component's checks and the cross-component ones.\n\nflags:\n${flagHelp(CLUSTER_FLAGS)}\n\nexit codes: 0 healthy, 1 unhealthy, 2 invalid input, 3 refused (context)\n`);
    return ExitCode.ok;
  }
  requireFlag(parsed, 'cluster', CLUSTER_FLAGS);
  const config = await loadCluster(parsed.flags.cluster!);
  const rt = await createRuntime(config, { kubeconfig: parsed.flags.kubeconfig, context: parsed.flags.context, verbose: parsed.flags.verbose });
  try {
    const report = await verifyCluster(rt.connect(), COMPONENTS_IN_ORDER);
    if (parsed.flags.json) out.stdout(`${rt.render.redactor.redact(JSON.stringify(report, null, 2))}\n`);
    else {
      out.stdout(rt.render.redactor.redact(formatChecks(report.checks)));
      out.stderr(`${config.name}: ${report.healthy ? 'healthy' : 'UNHEALTHY'} (${report.checks.length} checks in ${(report.durationMs / 1000).toFixed(1)}s)\n`);
    }
    return report.healthy ? ExitCode.ok : ExitCode.failed;
  } finally {
    await rt.dispose();
  }
}
