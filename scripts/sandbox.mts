/**
 * pnpm sandbox up|down|status|env — a persistent local control plane (kwok nodes, OCI registry)
 * inside the network namespace `stateless-ci-sandbox`. See tests/harness/README.md.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  attach,
  createNetns,
  currentNetnsName,
  defaultUpstreamEnv,
  deleteNetns,
  downloadUpstreamModules,
  ensureBinaries,
  isProfile,
  netnsExists,
  prepareUpstream,
  readVersions,
  run,
  up,
  type Profile,
} from '../tests/harness/src/index.ts';
import { readState } from '../tests/harness/src/state.ts';
import { isAlive, readPid, startDetached, stopProcess } from '../tests/harness/src/processes.ts';

const NETNS = 'stateless-ci-sandbox';
const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const sandboxDir = process.env.STATELESS_CI_SANDBOX_DIR || join(repoRoot, '.sandbox');
Object.assign(process.env, defaultUpstreamEnv(repoRoot));

class UsageError extends Error {
  override name = 'UsageError';
}

const help: Record<string, string> = {
  main: `usage: pnpm sandbox <up|down|status|env> [options]

  up       start etcd, kube-apiserver, kcm, scheduler, kwok and an OCI registry in netns ${NETNS}
  down     stop everything, remove the state dir and the netns
  status   processes, nodes and versions
  env      print eval-able exports for the sandbox (eval "$(pnpm -s sandbox env)")

state dir: ${sandboxDir} (STATELESS_CI_SANDBOX_DIR overrides). Run "pnpm sandbox <cmd> --help" for options.`,
  up: `usage: pnpm sandbox up [--profile theia-prod|parma] [--nodes N] [--keep]

  --profile   kubeconfig context and node arch (theia-prod=amd64, parma=arm64); default theia-prod
  --nodes     number of kwok nodes kwok-node-0..N-1; default 3
  --keep      if startup fails, keep the netns (the state dir is always removed)
Builds missing binaries and downloads Go modules (kwok stages, k8s-digester manifests) in the host
namespace first, then starts everything inside ${NETNS} and pushes upstream artifacts to the registry.`,
  down: `usage: pnpm sandbox down [--keep]

  --keep      keep the network namespace ${NETNS} (only stop processes and remove the state dir)`,
  status: `usage: pnpm sandbox status

Shows the component processes (pid, alive), apiserver version and node counts.`,
  env: `usage: pnpm sandbox env

Prints export lines (KUBECONFIG, PATH, STATELESS_CI_*, HELM_*). Commands that talk to the sandbox
must run inside its namespace: ip netns exec ${NETNS} <command>`,
};

interface Flags {
  profile: Profile;
  nodes: number;
  keep: boolean;
  help: boolean;
}

function parseFlags(args: readonly string[]): Flags {
  const f: Flags = { profile: 'theia-prod', nodes: 3, keep: false, help: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = (): string => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--help' || a === '-h') f.help = true;
    else if (a === '--keep') f.keep = true;
    else if (a.startsWith('--profile')) {
      const p = value();
      if (!isProfile(p)) throw new UsageError(`unknown profile ${p} (theia-prod|parma)`);
      f.profile = p;
    } else if (a.startsWith('--nodes')) {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 0 || n > 5000) throw new UsageError(`--nodes must be an integer 0..5000`);
      f.nodes = n;
    } else throw new UsageError(`unknown option ${a}`);
  }
  return f;
}

/** Re-runs this script with `args` inside the sandbox namespace, stdio inherited. */
function inNetns(args: readonly string[]): Promise<number> {
  const argv = ['netns', 'exec', NETNS, process.execPath, ...process.execArgv, fileURLToPath(import.meta.url), ...args];
  return new Promise((res, rej) => {
    const child = spawn('ip', argv, { stdio: 'inherit', env: process.env });
    child.on('error', rej);
    child.on('close', (code) => res(code ?? 1));
  });
}

const say = (l: string): void => void process.stderr.write(`[sandbox] ${l}\n`);

async function cmdUp(f: Flags): Promise<number> {
  if (existsSync(join(sandboxDir, 'state.json'))) throw new UsageError(`a sandbox is already up (${sandboxDir}); run "pnpm sandbox down" first`);
  const versions = readVersions();
  await ensureBinaries({ versions, run, log: say, mayBuild: true });
  await downloadUpstreamModules(run, versions).catch((err: Error) => say(`go mod download failed (${err.message.split('\n')[0]}); continuing`));
  await createNetns(NETNS);
  const t0 = Date.now();
  const code = await inNetns(['__inner-up', '--profile', f.profile, '--nodes', String(f.nodes)]);
  if (code !== 0) {
    if (!f.keep) await deleteNetns(NETNS);
    return code;
  }
  say(`sandbox up in ${Date.now() - t0} ms. Use it with:`);
  say(`  eval "$(pnpm -s sandbox env)"; ip netns exec ${NETNS} kubectl get nodes`);
  return 0;
}

const STAND_INS = 'stand-ins';

async function innerUp(f: Flags): Promise<number> {
  const h = await up({ profile: f.profile, nodes: f.nodes, dir: sandboxDir, persistent: true, log: (l) => say(l) });
  for (const r of await prepareUpstream(h)) {
    say(r.status === 'pushed' ? `upstream ${r.name} ${r.version}: pushed ${r.ref}` : `upstream ${r.name} ${r.version}: unavailable (${r.reason})`);
  }
  // Where kwok cannot play the kubelet (the digester's cert rotation, Spegel's uninstall hook).
  const main = join(repoRoot, 'tests/harness/src/stand-ins/main.mts');
  const s = await startDetached({ name: STAND_INS, argv: [process.execPath, '--import', 'tsx', main, h.dir], logDir: join(h.dir, 'logs'), pidDir: join(h.dir, 'pids'), cwd: repoRoot });
  say(`kubelet stand-ins running (pid ${s.pid}, log ${s.log})`);
  h.client.close();
  return 0;
}

async function cmdDown(f: Flags): Promise<number> {
  if (existsSync(join(sandboxDir, 'state.json'))) {
    const standIns = await readPid(join(sandboxDir, 'pids'), STAND_INS);
    if (standIns) await stopProcess(standIns);
    const h = await attach(sandboxDir, say);
    await h.down();
  } else say(`no sandbox state at ${sandboxDir}`);
  if (!f.keep) {
    await deleteNetns(NETNS);
    say(`netns ${NETNS} deleted`);
  }
  return 0;
}

async function cmdEnv(): Promise<number> {
  const h = await attach(sandboxDir, say);
  const lines = Object.entries(h.env()).map(([k, v]) => `export ${k}=${JSON.stringify(v)}`);
  process.stdout.write(`# stateless-ci sandbox (${h.profile}); run commands inside its network namespace:\n`);
  process.stdout.write(`#   ip netns exec ${NETNS} <command>\n${lines.join('\n')}\n`);
  h.client.close();
  return 0;
}

async function cmdStatus(): Promise<number> {
  if (!existsSync(join(sandboxDir, 'state.json'))) {
    process.stdout.write(`sandbox: down (no state at ${sandboxDir}); netns ${NETNS}: ${netnsExists(NETNS) ? 'present' : 'absent'}\n`);
    return 1;
  }
  if (currentNetnsName() !== NETNS) return inNetns(['status']);
  const s = await readState(sandboxDir);
  const out: string[] = [`sandbox: ${s.dir} profile=${s.profile} arch=${s.arch} netns=${NETNS} up-time=${s.upMs ?? '?'}ms`];
  for (const [name, p] of Object.entries(s.processes)) out.push(`  ${name.padEnd(24)} pid ${String(p!.pid).padEnd(8)} ${isAlive(p!.pid) ? 'running' : 'DEAD'}`);
  const h = await attach(sandboxDir, say);
  try {
    const v = JSON.parse((await h.client.raw('GET', '/version')).body) as { gitVersion: string };
    const nodes = await h.client.get<{ items: { status?: { conditions?: { type: string; status: string }[] } }[] }>('/api/v1/nodes');
    const ready = nodes.items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
    out.push(`  kubernetes ${v.gitVersion}; nodes ${nodes.items.length} (${ready} Ready)`);
  } catch (err) {
    out.push(`  apiserver unreachable: ${(err as Error).message}`);
  } finally {
    h.client.close();
  }
  const vs = readVersions();
  out.push(`  pinned: k8s ${vs.kubernetes}, etcd ${vs.etcd}, kwok ${vs.kwok}, helm ${vs.helm}, k8s-digester ${vs.digester}`);
  process.stdout.write(out.join('\n') + '\n');
  return 0;
}

async function main(argv: readonly string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(help.main + '\n');
    return cmd ? 0 : 2;
  }
  const f = parseFlags(rest);
  const text = help[cmd.replace(/^__inner-/, '')];
  if (f.help && text) {
    process.stdout.write(text + '\n');
    return 0;
  }
  if (process.getuid?.() !== 0) throw new UsageError('the sandbox needs root (ip netns)');
  switch (cmd) {
    case 'up':
      return cmdUp(f);
    case '__inner-up':
      return innerUp(f);
    case 'down':
      return cmdDown(f);
    case 'status':
      return cmdStatus();
    case 'env':
      return cmdEnv();
    default:
      throw new UsageError(`unknown command ${cmd}\n${help.main}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`sandbox: ${err.name === 'UsageError' ? '' : `${err.name}: `}${err.message}\n`);
    process.exit(err.name === 'UsageError' ? 2 : 1);
  },
);
