/**
 * Pure: what Spegel needs from a node's containerd configuration (upstream.md 1.4), read from the
 * TOML of `containerd config dump` (effective values) or of /etc/containerd/config.toml (only what
 * the file sets; containerd's defaults fill the rest), for config schema 1/2 (containerd 1.x) and 3
 * (containerd 2.x).
 */
import { parseToml, type TomlTable, type TomlValue } from './toml.ts';
import { atLeast, type Runtime } from './verify/runtime.ts';

export type ConfigSource = 'dump' | 'file';

export interface ContainerdSettings {
  readonly schema: 1 | 2 | 3;
  /** registry config_path; undefined when neither set nor defaulted. */
  readonly configPath: string | undefined;
  readonly discardUnpackedLayers: boolean;
  /** containerd 2.1+: pull through the CRI's local path instead of the transfer service. */
  readonly useLocalImagePull: boolean;
  /** Deprecated inline `registry.mirrors` tables: containerd ignores config_path when they are set. */
  readonly inlineMirrors: boolean;
}

export interface Finding {
  readonly level: 'fail' | 'warn';
  readonly message: string;
}

const CONTAINERD2_DEFAULT_CONFIG_PATH = '/etc/containerd/certs.d:/etc/docker/certs.d';

const sub = (t: TomlValue | undefined, ...keys: string[]): TomlValue | undefined => {
  let v = t;
  for (const k of keys) v = v !== undefined && typeof v === 'object' && !Array.isArray(v) ? (v as TomlTable)[k] : undefined;
  return v;
};
const str = (v: TomlValue | undefined) => (typeof v === 'string' ? v : undefined);
const bool = (v: TomlValue | undefined) => (typeof v === 'boolean' ? v : undefined);
const nonEmptyTable = (v: TomlValue | undefined) => typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0;

export function readContainerdSettings(toml: TomlTable, source: ConfigSource, runtime?: Runtime): ContainerdSettings {
  const version = typeof toml.version === 'number' ? toml.version : 1;
  const plugins = toml.plugins;
  if (version >= 3) {
    const images = sub(plugins, 'io.containerd.cri.v1.images');
    const configPath = str(sub(images, 'registry', 'config_path'));
    return {
      schema: 3,
      configPath: configPath ?? (source === 'file' ? CONTAINERD2_DEFAULT_CONFIG_PATH : undefined),
      discardUnpackedLayers: bool(sub(images, 'discard_unpacked_layers')) ?? false,
      useLocalImagePull: bool(sub(images, 'use_local_image_pull')) ?? false,
      inlineMirrors: nonEmptyTable(sub(images, 'registry', 'mirrors')),
    };
  }
  const cri = sub(plugins, 'io.containerd.grpc.v1.cri') ?? sub(plugins, 'cri');
  const configPath = str(sub(cri, 'registry', 'config_path'));
  const on2 = runtime?.kind === 'containerd' && runtime.major >= 2;
  return {
    schema: version === 2 ? 2 : 1,
    // containerd 2.x migrates old schemas and applies its own defaults; 1.x has no default.
    configPath: configPath || (source === 'file' && on2 ? CONTAINERD2_DEFAULT_CONFIG_PATH : undefined),
    discardUnpackedLayers: bool(sub(cri, 'containerd', 'discard_unpacked_layers')) ?? false,
    useLocalImagePull: false,
    inlineMirrors: nonEmptyTable(sub(cri, 'registry', 'mirrors')),
  };
}

export interface AnalyzeInput {
  readonly settings: ContainerdSettings;
  readonly runtime?: Runtime;
  /** spegel.containerdRegistryConfigPath */
  readonly spegelPath: string;
  /** hosts.toml files found under spegelPath: path → content. */
  readonly hosts: Readonly<Record<string, string>>;
  /** spegel.mirrorRegistries: the init container is expected to have written hosts.toml. */
  readonly mirrorAdd: boolean;
}

export function analyzeContainerd(i: AnalyzeInput): Finding[] {
  const f: Finding[] = [];
  const s = i.settings;
  const transfer = s.schema === 3 && (i.runtime === undefined || atLeast(i.runtime, 2, 1));
  const paths = (s.configPath ?? '').split(':').filter(Boolean);
  if (paths.length === 0) f.push({ level: 'fail', message: 'registry config_path is not set, so containerd never reads hosts.toml and never asks Spegel' });
  else if (!paths.includes(i.spegelPath)) f.push({ level: 'fail', message: `registry config_path is ${s.configPath}, which does not include Spegel's ${i.spegelPath}` });
  else if (paths.length > 1 && transfer) {
    f.push({ level: 'fail', message: `registry config_path lists ${paths.length} directories (${s.configPath}); containerd 2.1+ in transfer-service mode reads it as one path and mirrors nothing: set config_path = "${i.spegelPath}"` });
  }
  if (s.inlineMirrors) f.push({ level: 'fail', message: 'deprecated registry.mirrors tables are set; containerd then ignores config_path: move them to hosts.toml' });
  if (s.discardUnpackedLayers) f.push({ level: 'fail', message: 'discard_unpacked_layers = true: layers are dropped after unpacking and cannot be served to peers; set it to false and restart containerd' });
  if (transfer && !s.useLocalImagePull) {
    f.push({ level: 'warn', message: 'use_local_image_pull is not true: CRI pulls go through the transfer service, which can bypass registry mirrors (spegel #1272); set use_local_image_pull = true under plugins."io.containerd.cri.v1.images"' });
  }
  if (i.mirrorAdd) {
    const spegelHosts = Object.entries(i.hosts).filter(([, text]) => /:3002[01]['"]?\]/.test(text) || /:3002[01]\b/.test(text));
    if (spegelHosts.length === 0) f.push({ level: 'fail', message: `no hosts.toml under ${i.spegelPath} names a Spegel mirror (:30020/:30021): the configuration init container did not write it` });
  }
  return f;
}

/** The report the node probe pod prints (see verify/node-config.ts). */
export interface ProbeReport {
  readonly source: ConfigSource;
  readonly config: string;
  readonly hosts: Readonly<Record<string, string>>;
}

export const PROBE_MARK = '### stateless-ci spegel probe v1';

export function parseProbeOutput(text: string): ProbeReport | undefined {
  if (!text.includes(PROBE_MARK)) return undefined;
  let source: ConfigSource = 'file';
  let config = '';
  const hosts: Record<string, string> = {};
  let target: { kind: 'config' } | { kind: 'hosts'; path: string } | undefined;
  for (const line of text.slice(text.indexOf(PROBE_MARK) + PROBE_MARK.length).split('\n')) {
    const m = /^### (source|hosts|end)\s*(.*)$/.exec(line);
    if (m) {
      if (m[1] === 'source') {
        source = m[2]!.trim() === 'dump' ? 'dump' : 'file';
        target = { kind: 'config' };
      } else if (m[1] === 'hosts') {
        target = { kind: 'hosts', path: m[2]!.trim() };
        hosts[target.path] = '';
      } else target = undefined;
      continue;
    }
    if (target?.kind === 'config') config += `${line}\n`;
    else if (target?.kind === 'hosts') hosts[target.path] += `${line}\n`;
  }
  return { source, config, hosts };
}

/** Probe output to findings; unreadable output is itself a finding. */
export function analyzeProbeOutput(text: string, opts: Omit<AnalyzeInput, 'settings' | 'hosts'>): Finding[] {
  const report = parseProbeOutput(text);
  if (!report) return [{ level: 'fail', message: 'the probe pod printed no containerd report (is /etc/containerd readable from the host?)' }];
  let toml: TomlTable;
  try {
    toml = parseToml(report.config);
  } catch (e) {
    return [{ level: 'fail', message: `containerd config is not readable TOML: ${(e as Error).message}` }];
  }
  return analyzeContainerd({ ...opts, settings: readContainerdSettings(toml, report.source, opts.runtime), hosts: report.hosts });
}
