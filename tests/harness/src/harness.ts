/** up() / attach(): the test control plane as one object. */
import { AUDIT_POLICY } from './audit.ts';
import { mkdtemp, mkdir, readdir, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Component } from './args.ts';
import { binPathDirs, ensureBinaries } from './binaries.ts';
import { registerCleanup, unregisterCleanup, type Cleanable } from './cleanup.ts';
import { startComponent, stopComponents, waitComponent, waitDefaultServiceAccount, type PlaneConfig } from './control-plane.ts';
import { HarnessError } from './errors.ts';
import { createKubeClient, credentialsFromFiles, type KubeClient } from './kube-client.ts';
import { renderKubeconfig } from './kubeconfig.ts';
import { kwokStageDir, writeKwokConfig } from './kwok-config.ts';
import { defaultAdvertiseAddress, defaultPorts, layoutFor, type Layout } from './layout.ts';
import { addBlackholes, decideIsolation, inIsolatedNetns, prepareOwnNetns, removeBlackholes } from './netns.ts';
import { nodeManager, type NodeOptions } from './nodes.ts';
import { generatePki } from './pki.ts';
import { probesFor } from './probes.ts';
import { archOf, type Arch, type Profile } from './profile.ts';
import { writeRegistryConfig } from './registry.ts';
import { run as defaultRun, type Runner } from './run.ts';
import { readState, writeState, type HarnessState, type ProcessRecord } from './state.ts';
import { readVersions } from './versions.ts';

export interface HarnessOptions {
  readonly profile: Profile;
  /** Fake nodes kwok-node-0..n-1 created before up() returns. Default 3. */
  readonly nodes?: number;
  /** State directory; default a fresh temporary directory. Removed by down(). */
  readonly dir?: string;
  /** Start the local OCI registry on 127.0.0.1:5000. Default true. */
  readonly withRegistry?: boolean;
  readonly log?: (line: string) => void;
  /**
   * Leave the processes running when this Node process exits (the sandbox). Default false:
   * SIGINT/SIGTERM/exit tear the harness down.
   */
  readonly persistent?: boolean;
  readonly run?: Runner;
}

export interface AddNodeOptions extends NodeOptions {}

export interface Harness {
  readonly dir: string;
  readonly kubeconfig: string;
  /** The API server's audit log (see audit.ts). */
  readonly auditLog: string;
  /** Kubeconfig context name = profile name. */
  readonly context: string;
  /** host:port of the local OCI registry, "127.0.0.1:5000". */
  readonly registry: string;
  readonly binDir: string;
  readonly profile: Profile;
  readonly arch: Arch;
  /** Name of the network namespace the harness runs in (undefined in host mode or an unnamed namespace). */
  readonly netns: string | undefined;
  readonly state: HarnessState;
  /** A REST client authenticated as the admin (system:masters). */
  readonly client: KubeClient;
  env(): Record<string, string>;
  setNodeCount(n: number): Promise<void>;
  addNode(name: string, opts?: AddNodeOptions): Promise<void>;
  removeNode(name: string): Promise<void>;
  stopApiserver(): Promise<void>;
  startApiserver(): Promise<void>;
  down(): Promise<void>;
}

const defaultLog = (line: string): void => void process.stderr.write(`[harness] ${line}\n`);

function planeConfig(s: HarnessState): PlaneConfig {
  return {
    layout: layoutFor(s.dir, s.ports, s.advertiseAddress),
    binaries: s.binaries,
    kwokConfigs: s.kwokConfigs,
    registryConfig: s.registryConfig,
  };
}

function componentEnv(): Record<string, string> {
  // Components get a minimal environment: no proxies, no user kubeconfig, HOME kept for kwok's ~/.kwok probe.
  const keep = ['PATH', 'HOME', 'LANG', 'TZ'];
  return Object.fromEntries(keep.flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : [])));
}

async function clientFor(l: Layout): Promise<KubeClient> {
  const creds = await credentialsFromFiles(`https://127.0.0.1:${l.ports.apiserver}`, l.pki.caCert, l.pki.cert, l.pki.key);
  return createKubeClient(creds);
}

async function emptyDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const entry of await readdir(dir)) await rm(join(dir, entry), { recursive: true, force: true });
}

/** Mutable holder shared by up() (while it starts processes) and the Harness it returns. */
interface StateRef {
  current: HarnessState;
}

function makeHarness(ref: StateRef, client: KubeClient, log: (l: string) => void, owned: boolean): Harness {
  const state0 = ref.current;
  const l = layoutFor(state0.dir, state0.ports, state0.advertiseAddress);
  const nodes = nodeManager(client, state0.arch, log);
  const probes = probesFor(state0.ports, () => client);
  let downed = false;

  const setProcess = async (c: Component, rec: ProcessRecord | undefined): Promise<void> => {
    const processes = { ...ref.current.processes };
    if (rec) processes[c] = rec;
    else delete processes[c];
    ref.current = { ...ref.current, processes };
    await writeState(ref.current);
  };

  const cleanable: Cleanable = {
    dir: state0.dir,
    pids: () => Object.values(ref.current.processes).map((p) => p!.pid),
    blackholes: () => ref.current.blackholes,
    down: () => h.down(),
  };

  const h: Harness = {
    dir: state0.dir,
    kubeconfig: l.kubeconfig,
    auditLog: l.auditLog,
    context: state0.profile,
    registry: `127.0.0.1:${state0.ports.registry}`,
    binDir: binPathDirs(state0.binaries)[0]!,
    profile: state0.profile,
    arch: state0.arch,
    netns: state0.netns,
    get state() {
      return ref.current;
    },
    client,
    env() {
      const reg = `oci://127.0.0.1:${ref.current.ports.registry}`;
      return {
        KUBECONFIG: l.kubeconfig,
        PATH: [...binPathDirs(ref.current.binaries), process.env.PATH ?? ''].filter(Boolean).join(delimiter),
        ...(ref.current.withRegistry
          ? { STATELESS_CI_CHART_MIRROR: `${reg}/charts`, STATELESS_CI_MANIFEST_MIRROR: `${reg}/manifests`, STATELESS_CI_PLAIN_HTTP: '1' }
          : {}),
        STATELESS_CI_NETNS: ref.current.netns ?? '',
        STATELESS_CI_HARNESS_DIR: ref.current.dir,
        HELM_CACHE_HOME: join(l.helmHome, 'cache'),
        HELM_CONFIG_HOME: join(l.helmHome, 'config'),
        HELM_DATA_HOME: join(l.helmHome, 'data'),
      };
    },
    setNodeCount: (n) => nodes.setNodeCount(n),
    addNode: (name, opts) => nodes.addNode(name, opts),
    removeNode: (name) => nodes.removeNode(name),
    async stopApiserver() {
      await stopComponents(ref.current.processes, l.pids, ['kube-apiserver']);
      await setProcess('kube-apiserver', undefined);
      log('kube-apiserver stopped');
    },
    async startApiserver() {
      if (ref.current.processes['kube-apiserver']) throw new HarnessError('kube-apiserver is already running');
      const t0 = Date.now();
      const rec = await startComponent('kube-apiserver', planeConfig(ref.current), componentEnv());
      await setProcess('kube-apiserver', rec);
      await waitComponent('kube-apiserver', rec, probes['kube-apiserver']);
      log(`kube-apiserver ready again in ${Date.now() - t0} ms`);
    },
    async down() {
      if (downed) return;
      downed = true;
      client.close();
      // Another handle attached to this harness (a test) may have restarted a component: its pid
      // is in state.json, not in this handle's memory. Stop both.
      const onDisk = await readState(ref.current.dir).catch(() => ref.current);
      await stopComponents(onDisk.processes, l.pids);
      await stopComponents(ref.current.processes, l.pids);
      await removeBlackholes(ref.current.blackholes);
      await rm(ref.current.dir, { recursive: true, force: true });
      if (owned) unregisterCleanup(cleanable);
      log(`down: removed ${ref.current.dir}`);
    },
  };
  if (owned) registerCleanup(cleanable);
  return h;
}

export async function up(opts: HarnessOptions): Promise<Harness> {
  const t0 = Date.now();
  const log = opts.log ?? defaultLog;
  const run = opts.run ?? defaultRun;
  const isolation = decideIsolation(process.env, log);
  const versions = readVersions();
  const binaries = await ensureBinaries({ versions, run, log, mayBuild: !inIsolatedNetns() });
  const stageDir = kwokStageDir(versions.kwok);

  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), 'stateless-ci-harness-')));
  await emptyDir(dir);
  const l = layoutFor(dir, defaultPorts, defaultAdvertiseAddress);
  const withRegistry = opts.withRegistry ?? true;
  if (isolation.mode === 'netns') await prepareOwnNetns(l.advertiseAddress, run);
  const blackholes = isolation.mode === 'host' ? await addBlackholes(run) : [];

  await generatePki(l, run);
  const [caPem, certPem, keyPem] = await Promise.all([readFile(l.pki.caCert, 'utf8'), readFile(l.pki.cert, 'utf8'), readFile(l.pki.key, 'utf8')]);
  await writeFile(l.auditPolicy, AUDIT_POLICY);
  await writeFile(l.kubeconfig, renderKubeconfig({ server: `https://127.0.0.1:${l.ports.apiserver}`, context: opts.profile, caPem, certPem, keyPem }), { mode: 0o600 });
  const kwokConfigs = await writeKwokConfig(l.kwokDir, stageDir);
  const registryConfig = withRegistry ? await writeRegistryConfig(l.registryDir, l.ports.registry) : undefined;

  const ref: StateRef = {
    current: {
      version: 1,
      dir,
      profile: opts.profile,
      arch: archOf(opts.profile),
      ports: l.ports,
      advertiseAddress: l.advertiseAddress,
      withRegistry,
      binaries,
      kwokConfigs,
      registryConfig,
      netns: isolation.netns,
      mode: isolation.mode,
      blackholes,
      processes: {},
      ownsDir: opts.dir === undefined,
      createdAt: new Date().toISOString(),
    },
  };
  await writeState(ref.current);
  const client = await clientFor(l);
  const h = makeHarness(ref, client, log, !opts.persistent);
  const probes = probesFor(l.ports, () => client);
  const cfg = planeConfig(ref.current);
  const env = componentEnv();

  const launch = async (components: readonly Component[]): Promise<void> => {
    const started = await Promise.all(components.map(async (c) => [c, await startComponent(c, cfg, env)] as const));
    ref.current = { ...ref.current, processes: { ...ref.current.processes, ...Object.fromEntries(started) } };
    await writeState(ref.current);
    await Promise.all(started.map(([c, rec]) => waitComponent(c, rec, probes[c])));
  };

  try {
    await launch(withRegistry ? ['registry', 'etcd'] : ['etcd']);
    await launch(['kube-apiserver']);
    await launch(['kube-controller-manager', 'kube-scheduler', 'kwok']);
    await waitDefaultServiceAccount(client);
    const upMs = Date.now() - t0;
    ref.current = { ...ref.current, upMs };
    await writeState(ref.current);
    log(`control plane ready in ${upMs} ms (${dir})`);
    const nodeCount = opts.nodes ?? 3;
    if (nodeCount > 0) await h.setNodeCount(nodeCount);
  } catch (err) {
    await h.down().catch(() => undefined);
    throw err;
  }
  return h;
}

/** Re-opens a running harness from its state dir (state.json). The caller does not own its lifetime. */
export async function attach(dir: string, log: (line: string) => void = defaultLog): Promise<Harness> {
  const state = await readState(dir);
  const client = await clientFor(layoutFor(state.dir, state.ports, state.advertiseAddress));
  return makeHarness({ current: state }, client, log, false);
}
