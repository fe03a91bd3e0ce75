/**
 * `pnpm demo`: the main job end to end on the built-in sandbox. Brings the sandbox up (theia-prod
 * profile) unless one is running, then, inside its network namespace, runs the real deploy
 * pipeline and the verify pipeline against it, prints a summary, and tears the sandbox down
 * unless --keep. Components whose pinned upstream content is not in the sandbox registry (the Go
 * module proxy refuses the Spegel and ARC repositories) are left out, and the summary says so.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ExitCode, REPO_ROOT, createRuntime, flagHelp, loadCluster, parseFlags, rendererFromEnv, runDeploy } from '@stateless-ci/core';
import { COMPONENTS_IN_ORDER, verifyCluster } from '@stateless-ci/verify';
import { formatChecks } from './format.ts';
import { ensureThrowawayCredentials, sourcesAvailable, withAvailable } from './sandbox-sources.ts';
import type { Output } from './task-command.ts';

export const DEMO_FLAGS = {
  keep: { type: 'boolean', description: 'keep the sandbox running afterwards' },
  profile: { type: 'string', description: 'cluster profile', choices: ['theia-prod', 'parma'], example: 'theia-prod' },
} as const;

const NETNS = 'stateless-ci-sandbox';
const sandboxDir = () => process.env.STATELESS_CI_SANDBOX_DIR || path.join(REPO_ROOT, '.sandbox');
const sandbox = (args: string[]) => spawnSync(process.execPath, [...process.execArgv, path.join(REPO_ROOT, 'scripts/sandbox.mts'), ...args], { stdio: 'inherit' }).status ?? 1;

/** Host side: sandbox up if needed, run the inner demo inside the namespace, tear down. */
export async function demoCommand(argv: readonly string[], out: Output): Promise<number> {
  const parsed = parseFlags(argv, DEMO_FLAGS);
  if (parsed.help) {
    out.stdout(`usage: pnpm demo [--keep] [--profile theia-prod|parma]\n\nSandbox up, the real deploy and verify pipelines against it, a summary, teardown.\n\nflags:\n${flagHelp(DEMO_FLAGS)}\n`);
    return ExitCode.ok;
  }
  const profile = parsed.flags.profile ?? 'theia-prod';
  const started = !existsSync(path.join(sandboxDir(), 'state.json'));
  if (started) {
    out.stderr(`[demo] starting the sandbox (${profile})\n`);
    const up = sandbox(['up', '--profile', profile]);
    if (up !== 0) return up;
  } else out.stderr(`[demo] using the running sandbox at ${sandboxDir()}\n`);
  const t0 = Date.now();
  const inner = spawnSync('ip', ['netns', 'exec', NETNS, process.execPath, ...process.execArgv, path.join(REPO_ROOT, 'scripts/demo.mts'), '__inner', profile], { stdio: 'inherit' }).status ?? 1;
  out.stderr(`[demo] deploy and verify took ${((Date.now() - t0) / 1000).toFixed(1)}s\n`);
  if (started && !parsed.flags.keep) sandbox(['down']);
  else out.stderr(`[demo] the sandbox keeps running: eval "$(pnpm -s sandbox env)" then pnpm verify:amd; pnpm sandbox down when done\n`);
  return inner;
}

/** Inside the sandbox namespace: deploy, verify, summarise. */
export async function demoInner(profile: string, out: Output): Promise<number> {
  const { attach } = await import('../../tests/harness/src/index.ts');
  const h = await attach(sandboxDir());
  Object.assign(process.env, h.env());
  h.client.close();
  // ARC needs GitHub credentials to deploy; the sandbox has no GitHub, so throwaway ones are made up.
  if (ensureThrowawayCredentials(process.env)) out.stderr('[demo] using throwaway GitHub App credentials (the sandbox cannot reach GitHub)\n');
  const base = await loadCluster(profile);
  const missing = await sourcesAvailable(base, process.env);
  const cluster = withAvailable(base, missing);
  for (const [name, why] of missing) if (why) out.stderr(`[demo] ${name}: left out, its pinned upstream content is not in the sandbox registry (${why})\n`);
  const rt = await createRuntime(cluster, { kubeconfig: process.env.KUBECONFIG, context: profile });
  try {
    const ctx = rt.connect();
    const deploy = await runDeploy(ctx, COMPONENTS_IN_ORDER, {
      renderer: rendererFromEnv({}),
      secrets: { env: process.env, readFile: (p) => readFile(p, 'utf8') },
      verify: false,
    });
    const verify = await verifyCluster(ctx, COMPONENTS_IN_ORDER);
    const redo = await runDeploy(ctx, COMPONENTS_IN_ORDER, { renderer: 'silent', secrets: { env: process.env, readFile: (p) => readFile(p, 'utf8') }, verify: false });
    const lines = [
      '',
      `== stateless-ci demo on the sandbox (${profile}, ${cluster.arch}) ==`,
      `deploy:   ${deploy.outcome} in ${(deploy.durationMs / 1000).toFixed(1)}s; changed ${deploy.changed.join(', ') || 'nothing'}${deploy.rolledBack.length ? `; rolled back ${deploy.rolledBack.join(', ')}` : ''}${deploy.error ? `; error: ${deploy.error}` : ''}`,
      `redeploy: ${redo.outcome} in ${(redo.durationMs / 1000).toFixed(1)}s (nothing changed, so nothing was written)`,
      `verify:   ${verify.healthy ? 'healthy' : 'UNHEALTHY'}, ${verify.checks.filter((c) => c.status === 'pass').length}/${verify.checks.length} checks pass`,
      ...[...missing].filter(([, why]) => why).map(([name]) => `left out: ${name} (upstream content unavailable offline)`),
      'Simulated (kwok) nodes run no containers and the namespace has no pod network, so checks that talk to pods report that.',
    ];
    out.stdout(`${formatChecks(verify.checks)}${ctx.redactor.redact(lines.join('\n'))}\n`);
    return deploy.exitCode;
  } finally {
    await rt.dispose();
  }
}
