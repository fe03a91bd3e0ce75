/**
 * `pnpm task <component> <action> --cluster <name>`: runs one action of one component, for
 * debugging. Output: render prints YAML (or JSON) on stdout and nothing else; plan prints changes
 * and exits 2 when there are any; verify prints a table and exits 1 when a check fails.
 */
import {
  CLUSTER_FLAGS,
  ACTION_HELP,
  ACTIONS,
  COMMAND_LINE,
  COMPONENTS,
  ConfigError,
  ExitCode,
  closest,
  createRuntime,
  flagHelp,
  hasChanges,
  healthy,
  loadCluster,
  collectFlags,
  stringifyManifests,
  type Action,
  type ConfigIssue,
  type ComponentName,
} from '@stateless-ci/core';
import { componentByName } from '@stateless-ci/verify';
import { formatChecks, formatPlan } from './format.ts';

export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
}

const USAGE = `usage: pnpm task <component> <action> --cluster <name> [--context NAME] [--kubeconfig PATH] [--json]
       pnpm task freshness --cluster <name> [freshness flags]   (the freshness check; see --help there)

components: ${COMPONENTS.join(', ')}
actions:
${ACTIONS.map((a) => `  ${a.padEnd(10)} ${ACTION_HELP[a]}`).join('\n')}

flags:
${flagHelp(CLUSTER_FLAGS)}

exit codes: 0 ok, 1 failed or unhealthy, 2 invalid input or (plan) changes pending, 3 refused`;

function pick<T extends string>(value: string | undefined, allowed: readonly T[], what: string, position: string, issues: ConfigIssue[]): T {
  if (value !== undefined && (allowed as readonly string[]).includes(value)) return value as T;
  const near = value ? closest(value, allowed) : undefined;
  issues.push(
    {
      file: COMMAND_LINE,
      path: position,
      message: value === undefined ? `needs a ${what}` : `${JSON.stringify(value)} is not a known ${what}`,
      fix: near ? `did you mean ${near}?` : `use one of: ${allowed.join(', ')}`,
    },
  );
  return allowed[0]!;
}

export async function taskCommand(argv: readonly string[], out: Output, freshness?: (argv: readonly string[]) => Promise<number>): Promise<number> {
  if (argv[0] === 'freshness' && freshness) return freshness(argv.slice(1));
  const { parsed, issues } = collectFlags(argv, CLUSTER_FLAGS);
  const [componentArg, actionArg, ...extra] = parsed.positionals;
  if (parsed.help && componentArg === undefined) {
    out.stdout(`${USAGE}\n`);
    return ExitCode.ok;
  }
  const component = pick<ComponentName>(componentArg, COMPONENTS, 'component', '<component>', issues);
  if (issues.length > 0 && (parsed.help || actionArg === undefined)) throw new ConfigError(issues);
  if (parsed.help && actionArg === undefined) {
    const c = componentByName(component);
    out.stdout(`usage: pnpm task ${component} <action> --cluster <name>\n\n${c.title}. actions:\n${ACTIONS.map((a) => `  ${a.padEnd(10)} ${ACTION_HELP[a]}`).join('\n')}\n`);
    return ExitCode.ok;
  }
  const action = pick<Action>(actionArg, ACTIONS, 'action', '<action>', issues);
  if (extra.length > 0) issues.push({ file: COMMAND_LINE, path: extra[0]!, message: 'is an unexpected argument', fix: 'remove it; flags start with --' });
  if (parsed.flags.cluster === undefined && !parsed.help) issues.push({ file: COMMAND_LINE, path: '--cluster', message: 'is required', fix: 'add --cluster theia-prod' });
  if (issues.length > 0) throw new ConfigError(issues);
  if (parsed.help) {
    out.stdout(`usage: pnpm task ${component} ${action} --cluster <name> [flags]\n\n${ACTION_HELP[action]}\n\nflags:\n${flagHelp(CLUSTER_FLAGS)}\n`);
    return ExitCode.ok;
  }
  const cluster = await loadCluster(parsed.flags.cluster!);
  const rt = await createRuntime(cluster, { kubeconfig: parsed.flags.kubeconfig, context: parsed.flags.context, verbose: parsed.flags.verbose });
  const c = componentByName(component);
  const json = parsed.flags.json === true;
  const emit = (value: unknown) => out.stdout(`${rt.render.redactor.redact(JSON.stringify(value, null, 2))}\n`);
  try {
    switch (action) {
      case 'render': {
        const r = await c.render(rt.render);
        if (json) emit(r.objects);
        else out.stdout(rt.render.redactor.redact(stringifyManifests(r.objects)));
        return ExitCode.ok;
      }
      case 'plan': {
        const plan = await c.plan(rt.connect());
        if (json) emit(plan);
        else out.stdout(rt.render.redactor.redact(formatPlan([plan])));
        return hasChanges(plan) ? ExitCode.invalid : ExitCode.ok;
      }
      case 'verify': {
        const checks = await c.verify(rt.connect());
        if (json) emit({ component, healthy: healthy(checks), checks });
        else out.stdout(formatChecks(checks));
        return healthy(checks) ? ExitCode.ok : ExitCode.failed;
      }
      case 'apply': {
        const res = await c.apply(rt.connect());
        if (json) emit(res);
        else out.stderr(`${res.summary}\n`);
        return ExitCode.ok;
      }
      case 'wait':
        await c.wait(rt.connect());
        if (json) emit({ component, ready: true });
        else out.stderr(`${component} is ready\n`);
        return ExitCode.ok;
      case 'rollback': {
        const summary = await c.rollback(rt.connect());
        if (json) emit({ component, summary });
        else out.stderr(`${summary}\n`);
        return ExitCode.ok;
      }
      case 'uninstall':
        await c.uninstall(rt.connect());
        if (json) emit({ component, uninstalled: true });
        else out.stderr(`${component} uninstalled\n`);
        return ExitCode.ok;
    }
  } finally {
    await rt.dispose();
  }
}
