/**
 * `pnpm deploy:amd|arm`: the per-cluster pipeline. Plans first; `--dry-run` prints the plan and
 * exits 0 (no changes) or 2 (changes); otherwise deploys Spegel, the digester and ARC in order,
 * with retries and rollback, then verifies. `--json` prints the report on stdout.
 */
import { readFile } from 'node:fs/promises';
import { CLUSTER_FLAGS, ExitCode, createRuntime, flagHelp, loadCluster, parseFlags, rendererFromEnv, runDeploy, type DeployOptions } from '@stateless-ci/core';
import { COMPONENTS_IN_ORDER } from '@stateless-ci/verify';
import { formatChecks, formatPlan } from './format.ts';
import type { Output } from './task-command.ts';

export const DEPLOY_FLAGS = {
  ...CLUSTER_FLAGS,
  'dry-run': { type: 'boolean', description: 'print what would change; exit 0 for no change, 2 for changes' },
  rollback: { type: 'boolean', description: 'roll back on failure (default on; --no-rollback keeps the failed state for debugging)' },
  verify: { type: 'boolean', description: 'verify after deploying (default on; --no-verify skips it, when verify:amd|arm runs on its own)' },
} as const;

export async function deployCommand(cluster: string, argv: readonly string[], out: Output, extra: Partial<DeployOptions> = {}): Promise<number> {
  const parsed = parseFlags(argv, DEPLOY_FLAGS);
  if (parsed.help) {
    out.stdout(`usage: pnpm deploy:${cluster === 'parma' ? 'arm' : 'amd'} [flags]\n\nDeploys Spegel, k8s-digester and ARC to ${cluster}, then verifies.\n\nflags:\n${flagHelp(DEPLOY_FLAGS)}\n\nexit codes: 0 ok (or no changes), 1 failed (rolled back unless --no-rollback), 2 invalid input or --dry-run with changes, 3 refused (context or lock)\n`);
    return ExitCode.ok;
  }
  const config = await loadCluster(parsed.flags.cluster ?? cluster);
  const rt = await createRuntime(config, { kubeconfig: parsed.flags.kubeconfig, context: parsed.flags.context, verbose: parsed.flags.verbose });
  try {
    const ctx = rt.connect();
    const report = await runDeploy(ctx, COMPONENTS_IN_ORDER, {
      dryRun: parsed.flags['dry-run'],
      rollback: parsed.flags.rollback,
      verify: parsed.flags.verify,
      renderer: rendererFromEnv({ json: parsed.flags.json, verbose: parsed.flags.verbose }),
      secrets: { env: process.env, readFile: (p) => readFile(p, 'utf8') },
      ...extra,
    });
    const redact = (s: string) => ctx.redactor.redact(s);
    if (parsed.flags.json) {
      out.stdout(`${redact(JSON.stringify(report, null, 2))}\n`);
      return report.exitCode;
    }
    if (report.outcome === 'planned') out.stdout(redact(formatPlan(report.plans)));
    const lines = [`${config.name}: ${report.outcome} in ${(report.durationMs / 1000).toFixed(1)}s`];
    if (report.outcome === 'no-change') lines.push('nothing to change: no writes were made');
    if (report.changed.length) lines.push(`changed: ${report.changed.join(', ')}`);
    if (report.rolledBack.length) lines.push(`rolled back: ${report.rolledBack.join(', ')}`);
    for (const e of report.rollbackErrors) lines.push(`rollback FAILED: ${e}`);
    if (report.error) lines.push(`error: ${report.error}`);
    out.stderr(`${redact(lines.join('\n'))}\n`);
    if (report.checks.length) out.stdout(formatChecks(report.checks));
    return report.exitCode;
  } finally {
    await rt.dispose();
  }
}
