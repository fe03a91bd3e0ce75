/**
 * `pnpm freshness:amd|arm`: the check as a command. Reads flags, renders the cron objects or runs
 * the check, prints a table / JSON / Prometheus text, optionally rolls stale workloads, and
 * returns the exit code: 1 when something is staler than --max-age, lacks the cluster's
 * architecture or cannot be resolved; 3 when --restart is refused.
 */
import { homedir } from 'node:os';
import path from 'node:path';
import {
  ConfigError,
  ExitCode,
  RefusedError,
  COMMAND_LINE,
  CLUSTER_FLAGS,
  createRuntime,
  durationMs,
  flagHelp,
  loadCluster,
  parseFlags,
  requireFlag,
  stringifyManifests,
  type FlagSpec,
} from '@stateless-ci/core';
import { runFreshness } from './check.ts';
import { renderCron } from './cron.ts';
import { formatPrometheus } from './format-prometheus.ts';
import { formatTable } from './format-table.ts';
import { pushToGateway, writeAtomically } from './outputs.ts';
import { applyRestarts, planRestarts, restartGate } from './restart.ts';
import { failing } from './types.ts';
import { renderWorkflow, renderWorkflowRbac } from './workflow.ts';

export const FRESHNESS_FLAGS = {
  ...CLUSTER_FLAGS,
  json: { type: 'boolean', description: 'same as --format json' },
  'max-age': { type: 'duration', description: 'fail when an image is staler than this (default: freshness.maxAge)', example: '24h' },
  format: { type: 'string', description: 'output format', choices: ['table', 'json', 'prometheus'], example: 'table' },
  output: { type: 'string', description: 'write the --format output to FILE (atomically); the table still goes to stdout', example: '/var/lib/node_exporter/freshness.prom' },
  pushgateway: { type: 'string', description: 'also PUT the Prometheus text to this Pushgateway', example: 'http://pushgateway:9091', pattern: /^https?:\/\/\S+$/ },
  concurrency: { type: 'integer', description: 'registry requests in flight (default: freshness.concurrency)', min: 1, max: 64, example: '8' },
  exclude: { type: 'string', description: 'more namespaces to skip, comma-separated (kube-system always is)', example: 'dev,scratch', pattern: /^[a-z0-9-]+(,[a-z0-9-]+)*$/ },
  'docker-config': { type: 'string', description: 'Docker config.json with registry credentials (default: $DOCKER_CONFIG/config.json or ~/.docker/config.json if present)', example: '~/.docker/config.json' },
  'pull-secrets': { type: 'boolean', description: "read the pods' imagePullSecrets for credentials (default on; --no-pull-secrets)" },
  'arch-check': { type: 'string', description: 'when to read indexes for the cluster architecture', choices: ['on-change', 'always'], example: 'on-change' },
  restart: { type: 'boolean', description: 'roll out Deployments/StatefulSets/DaemonSets with stale pods (asks first; never kube-system)' },
  yes: { type: 'boolean', description: 'do not ask (required with --restart when not on a terminal)' },
  render: { type: 'string', description: 'print objects instead of checking (no cluster contacted)', choices: ['cronjob', 'workflow', 'workflow-rbac'], example: 'cronjob' },
  image: { type: 'string', description: 'image for --render cronjob (its entrypoint runs scripts/freshness.mts)', example: 'ghcr.io/my-org/stateless-ci:1.0.0' },
  namespace: { type: 'string', description: 'namespace for --render cronjob (default stateless-ci)', example: 'stateless-ci', pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/ },
  'docker-config-secret': { type: 'string', description: 'dockerconfigjson Secret to mount in the CronJob', example: 'regcred' },
} as const satisfies FlagSpec;

export const FRESHNESS_USAGE = 'usage: pnpm freshness:amd|freshness:arm [--max-age 24h] [--format table|json|prometheus] [--output FILE] [--restart [--yes]] [--render cronjob|workflow|workflow-rbac]';

export interface CommandIO {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly isTTY: boolean;
  ask(question: string): Promise<boolean>;
  readonly env: NodeJS.ProcessEnv;
  readFile(p: string): Promise<string>;
  exists(p: string): Promise<boolean>;
}

export async function freshnessCommand(argv: readonly string[], io: CommandIO): Promise<number> {
  const parsed = parseFlags(argv, FRESHNESS_FLAGS);
  const f = parsed.flags;
  if (parsed.help) {
    io.stdout(`${FRESHNESS_USAGE}\n\nflags:\n${flagHelp(FRESHNESS_FLAGS)}\n\nexit codes: 0 fresh, 1 stale beyond --max-age / missing arch / unresolvable, 2 invalid input, 3 --restart refused\n`);
    return ExitCode.ok;
  }
  requireFlag(parsed, 'cluster', FRESHNESS_FLAGS);
  const cluster = await loadCluster(f.cluster!);

  if (f.render) {
    if (f.render === 'workflow') io.stdout(renderWorkflow(cluster));
    else if (f.render === 'workflow-rbac') io.stdout(stringifyManifests(renderWorkflowRbac(cluster)));
    else {
      if (!f.image) throw new ConfigError([{ file: COMMAND_LINE, path: '--image', message: 'is required with --render cronjob', fix: 'add --image <an image whose entrypoint runs scripts/freshness.mts>' }]);
      const objects = renderCron(cluster, { image: f.image, namespace: f.namespace ?? 'stateless-ci', restart: f.restart === true, pullSecrets: f['pull-secrets'] === true, dockerConfigSecret: f['docker-config-secret'], pushgateway: f.pushgateway });
      io.stdout(stringifyManifests(objects));
    }
    return ExitCode.ok;
  }

  if (f.restart && restartGate({ yes: f.yes === true, isTTY: io.isTTY }) === 'refuse') {
    throw new RefusedError('--restart rolls out workloads; not on a terminal, so it needs --yes to go ahead');
  }
  const format = f.json ? 'json' : (f.format ?? 'table');
  const dockerConfig = await findDockerConfig(f['docker-config'], io);
  const rt = await createRuntime(cluster, { kubeconfig: f.kubeconfig, context: f.context, verbose: f.verbose, env: io.env });
  try {
    const ctx = rt.connect();
    const maxAge = f['max-age'] ?? cluster.freshness.maxAge;
    const report = await runFreshness(
      {
        cluster: cluster.name,
        arch: cluster.arch,
        maxAgeSeconds: durationMs(maxAge) / 1000,
        concurrency: f.concurrency ?? cluster.freshness.concurrency,
        excludeNamespaces: [...cluster.freshness.excludeNamespaces, ...(f.exclude?.split(',') ?? [])],
        archCheck: (f['arch-check'] as 'on-change' | 'always' | undefined) ?? 'on-change',
        pullSecrets: f['pull-secrets'] !== false,
        dockerConfig,
      },
      { kube: ctx.kube, log: ctx.log, redactor: ctx.redactor },
    );
    const text = format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : format === 'prometheus' ? formatPrometheus(report) : formatTable(report);
    const safe = ctx.redactor.redact(text);
    if (f.output) {
      await writeAtomically(f.output, safe);
      io.stdout(formatTable(report));
    } else io.stdout(safe);
    if (f.pushgateway) await pushToGateway(f.pushgateway, cluster.name, formatPrometheus(report));

    if (f.restart) {
      const plan = planRestarts(report.findings);
      for (const s of plan.skipped) io.stderr(`not restarting ${s.workload.kind}/${s.workload.namespace}/${s.workload.name}: ${s.reason}\n`);
      if (plan.targets.length === 0) io.stderr('--restart: no Deployment, StatefulSet or DaemonSet has stale pods\n');
      else {
        const list = plan.targets.map((t) => `${t.workload.kind}/${t.workload.namespace}/${t.workload.name} (${t.pods} stale pods)`).join(', ');
        const go = restartGate({ yes: f.yes === true, isTTY: io.isTTY }) === 'go' || (await io.ask(`Roll out ${list} on ${cluster.name}? [y/N] `));
        if (!go) io.stderr('--restart: nothing rolled out (not confirmed)\n');
        else {
          for (const o of await applyRestarts(ctx.kube, plan, new Date())) {
            const w = o.target.workload;
            io.stderr(`${o.result} ${w.kind}/${w.namespace}/${w.name}: ${o.detail}\n`);
          }
        }
      }
    }
    return failing(report).length > 0 ? ExitCode.failed : ExitCode.ok;
  } finally {
    await rt.dispose();
  }
}

async function findDockerConfig(explicit: string | undefined, io: CommandIO): Promise<{ text: string; source: string } | undefined> {
  const expand = (p: string) => (p.startsWith('~/') ? path.join(homedir(), p.slice(2)) : p);
  if (explicit) {
    const p = expand(explicit);
    if (!(await io.exists(p))) throw new ConfigError([{ file: COMMAND_LINE, path: '--docker-config', message: `${p} does not exist`, fix: 'point it at a Docker config.json (docker login writes ~/.docker/config.json)' }]);
    return { text: await io.readFile(p), source: p };
  }
  const p = path.join(io.env.DOCKER_CONFIG ?? path.join(homedir(), '.docker'), 'config.json');
  return (await io.exists(p)) ? { text: await io.readFile(p), source: p } : undefined;
}
