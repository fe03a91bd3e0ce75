/**
 * The cluster file schema: field types, ranges, defaults and the cross-field rules. Pure: takes the
 * parsed YAML value and returns either a normalized ClusterConfig or every issue found.
 */
import type { ConfigIssue } from '../errors.ts';
import type {
  ArcConfig,
  ClusterConfig,
  DigesterConfig,
  FreshnessConfig,
  GitHubCredentials,
  SecretSource,
  SourceRef,
  SpegelConfig,
} from './cluster-config.ts';
import { bool, int, list, maybe, object, oneOf, optional, required, str, type Schema, type SchemaIssue } from './schema.ts';

export const API_VERSION = 'stateless-ci/v1';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dnsLabel = (example: string, maxLength = 63) =>
  str({ pattern: DNS_LABEL, patternHint: 'a DNS label (lowercase letters, digits, "-")', example, maxLength, minLength: 1 });

const version = (example: string) =>
  str({
    pattern: /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/,
    patternHint: 'a pinned version like 1.2.3',
    example,
    check: (v) => (v === 'v0.0.1' || v === '0.0.1' ? { message: 'is the upstream placeholder version', fix: `pin the real release, e.g. ${example}` } : undefined),
  });

const sourceUrl = (example: string) =>
  str({
    pattern: /^(oci:\/\/[^\s]+|https:\/\/[^\s]+|\.{0,2}\/[^\s]*|file:\/\/[^\s]+)$/,
    patternHint: 'an oci://, https:// or local path source',
    example,
    check: (v) => (/:latest$|@latest$/.test(v) ? { message: 'must not float on latest', fix: 'name the source without a tag and pin version' } : undefined),
  });

const sourceRef = (src: string, ver: string): Schema<SourceRef> =>
  object<SourceRef>({ source: required(sourceUrl(src)), version: required(version(ver)) }, { example: `{source: ${src}, version: ${ver}}` });

const absPath = (example: string) =>
  str({ pattern: /^\/[^\s]*$/, patternHint: 'an absolute path', example });

const quantity = (example: string) =>
  str({ pattern: /^\d+(\.\d+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/, patternHint: 'a Kubernetes quantity like 500m or 2Gi', example });

/** Looks like the secret itself rather than its name: never echo, tell the user to move it. */
function looksLikeSecret(v: string): boolean {
  return (
    /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(v) ||
    /^(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}$/.test(v) ||
    /^github_pat_[A-Za-z0-9_]{20,}$/.test(v) ||
    (v.length >= 40 && /^[A-Za-z0-9+/=_-]+$/.test(v) && /\d/.test(v) && /[a-z]/.test(v) && /[A-Z]/.test(v))
  );
}

const secretSource: Schema<SecretSource> = {
  expected: 'a mapping with exactly one of env or file',
  example: '{env: GITHUB_TOKEN}',
  parse(v, path, issues) {
    if (typeof v === 'string') {
      const secret = looksLikeSecret(v);
      issues.push({
        path,
        message: secret
          ? 'holds what looks like the secret itself (not shown); cluster files only name where secrets come from'
          : 'must name where the secret comes from, got a plain string',
        fix: secret
          ? 'remove the value from the file (and rotate it if the file was shared), put it in an environment variable, and write {env: VAR_NAME}'
          : '{env: VAR_NAME} or {file: /path/to/file}',
      });
      return undefined;
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      issues.push({ path, message: 'must be {env: NAME} or {file: PATH}', fix: 'write {env: VAR_NAME} or {file: /path/to/file}' });
      return undefined;
    }
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    const unknown = keys.filter((k) => k !== 'env' && k !== 'file');
    if (unknown.length > 0 || keys.length !== 1) {
      issues.push({ path, message: `must have exactly one of env or file, got ${keys.length ? keys.join(', ') : 'nothing'}`, fix: 'keep only env: VAR_NAME or file: /path' });
      return undefined;
    }
    const val = o[keys[0]!];
    if (typeof val === 'string' && looksLikeSecret(val)) {
      issues.push({ path: `${path}.${keys[0]}`, message: 'holds what looks like the secret itself (not shown)', fix: 'name an environment variable or a file instead, and rotate the secret if the file was shared' });
      return undefined;
    }
    if ('env' in o) {
      if (typeof val !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(val)) {
        issues.push({ path: `${path}.env`, message: 'must be an environment variable name', fix: 'use letters, digits and _, e.g. env: GITHUB_APP_PRIVATE_KEY' });
        return undefined;
      }
      return { env: val };
    }
    if (typeof val !== 'string' || val.length === 0) {
      issues.push({ path: `${path}.file`, message: 'must be a file path', fix: 'e.g. file: /etc/stateless-ci/github-app.pem' });
      return undefined;
    }
    return { file: val };
  },
};

const credentials: Schema<GitHubCredentials> = {
  expected: 'GitHub App or token credentials',
  example: '{kind: app, appId: {env: GITHUB_APP_ID}, installationId: {env: GITHUB_APP_INSTALLATION_ID}, privateKey: {file: /path/key.pem}}',
  parse(v, path, issues) {
    const kind = (v as { kind?: unknown } | null)?.kind;
    if (kind === 'app') {
      return object<{ kind: 'app'; appId: SecretSource; installationId: SecretSource; privateKey: SecretSource }>({
        kind: required(oneOf(['app'] as const)),
        appId: required(secretSource),
        installationId: required(secretSource),
        privateKey: required(secretSource),
      }).parse(v, path, issues);
    }
    if (kind === 'token') {
      return object<{ kind: 'token'; token: SecretSource }>({ kind: required(oneOf(['token'] as const)), token: required(secretSource) }).parse(v, path, issues);
    }
    issues.push({ path: `${path}.kind`, message: `must be app or token, got ${kind === undefined ? 'nothing' : JSON.stringify(kind)}`, fix: 'set kind: app (GitHub App, recommended) or kind: token' });
    return undefined;
  },
};

const spegel = object<SpegelConfig>({
  enabled: optional(bool(), true),
  namespace: optional(dnsLabel('spegel'), 'spegel'),
  release: optional(dnsLabel('spegel', 53), 'spegel'),
  chart: required(sourceRef('oci://ghcr.io/spegel-org/helm-charts/spegel', '0.7.4')),
  image: required(
    object({
      repository: required(str({ pattern: /^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+$/, patternHint: 'an image repository', example: 'ghcr.io/spegel-org/spegel' })),
      tag: required(version('v0.7.4')),
      digest: maybe(str({ pattern: /^sha256:[a-f0-9]{64}$/, patternHint: 'a sha256 digest', example: 'sha256:<64 hex>' })),
    }),
  ),
  containerdSock: optional(absPath('/run/containerd/containerd.sock'), '/run/containerd/containerd.sock'),
  containerdRegistryConfigPath: optional(
    str({
      pattern: /^\/[^\s:]*$/,
      patternHint: 'one absolute path (containerd 2.1+ ignores colon-separated lists in transfer-service mode)',
      example: '/etc/containerd/certs.d',
    }),
    '/etc/containerd/certs.d',
  ),
  containerdContentPath: optional(absPath('/var/lib/containerd/io.containerd.content.v1.content'), '/var/lib/containerd/io.containerd.content.v1.content'),
  mirrorRegistries: optional(bool(), true),
  mirroredRegistries: optional(list(str({ pattern: /^https?:\/\/[a-z0-9.-]+(:\d+)?$/, patternHint: 'a registry URL without path', example: 'https://ghcr.io' }), { unique: true }), []),
  resolveTags: optional(bool(false), false),
  allNodes: optional(bool(), true),
  logLevel: optional(oneOf(['INFO', 'DEBUG'] as const), 'INFO'),
});

const digester = object<DigesterConfig>({
  enabled: optional(bool(), true),
  namespace: optional(dnsLabel('digester-system'), 'digester-system'),
  manifests: required(sourceRef('https://github.com/google/k8s-digester/releases/download/v0.1.16/digester_manifest.yaml', 'v0.1.16')),
  excludeNamespaces: optional(list(dnsLabel('my-namespace'), { unique: true }), []),
  timeoutSeconds: optional(int({ min: 1, max: 15, example: 5 }), 5),
  replicas: optional(int({ min: 1, max: 10, example: 3 }), 3),
  dockerConfigSecret: maybe(dnsLabel('registry-credentials', 253)),
  skipPrefixes: optional(list(str({ minLength: 1, example: 'registry.k8s.io/' })), []),
});

const resources = object<{ cpu: string; memory: string }>({ cpu: required(quantity('1')), memory: required(quantity('2Gi')) });

const arc = object<ArcConfig>({
  enabled: optional(bool(), true),
  controller: required(object({ release: optional(dnsLabel('arc', 30), 'arc'), chart: required(sourceRef('oci://ghcr.io/actions/actions-runner-controller-charts/gha-runner-scale-set-controller', '0.14.2')) })),
  runnerSet: required(
    object({
      name: required(dnsLabel('arc-runner-set-stateless', 45)),
      chart: required(sourceRef('oci://ghcr.io/actions/actions-runner-controller-charts/gha-runner-scale-set', '0.14.2')),
      minRunners: optional(int({ min: 0, max: 1000, example: 0 }), 0),
      maxRunners: optional(int({ min: 0, max: 1000, example: 10 }), 10),
      runnerImage: optional(str({ pattern: /^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+(:[\w.-]+)?(@sha256:[a-f0-9]{64})?$/, patternHint: 'an image reference', example: 'ghcr.io/actions/actions-runner:latest' }), 'ghcr.io/actions/actions-runner:latest'),
      resources: optional(object({ requests: required(resources), limits: required(resources) }), { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '4Gi' } }),
      runnerGroup: maybe(str({ minLength: 1, maxLength: 100, example: 'default' })),
    }),
  ),
  containerMode: required(
    oneOf(['kubernetes-novolume'] as const, 'set containerMode: kubernetes-novolume (the design runs job pods with no Docker-in-Docker and no PVC; dind and kubernetes are not supported)'),
  ),
  githubConfigUrl: required(
    str({
      pattern: /^https:\/\/[a-z0-9.-]+\/(enterprises\/)?[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)?\/?$/,
      patternHint: 'a GitHub org, repo or enterprise URL',
      example: 'https://github.com/my-org',
    }),
  ),
  credentials: required(credentials),
});

const freshness = object<FreshnessConfig>({
  excludeNamespaces: optional(list(dnsLabel('my-namespace'), { unique: true }), []),
  maxAge: optional(str({ pattern: /^\d+(s|m|h|d)$/, patternHint: 'a duration like 30m, 24h or 7d', example: '24h' }), '24h'),
  concurrency: optional(int({ min: 1, max: 64, example: 8 }), 8),
  schedule: optional(str({ pattern: /^(\S+\s+){4}\S+$/, patternHint: 'a five-field cron expression', example: '"*/30 * * * *"' }), '*/30 * * * *'),
});

type Written = Omit<ClusterConfig, 'file'> & { apiVersion: string };

const cluster = object<Written>({
  apiVersion: required(oneOf([API_VERSION] as const)),
  name: required(dnsLabel('theia-prod')),
  kubeContext: required(str({ minLength: 1, example: 'theia-prod' })),
  arch: required(oneOf(['amd64', 'arm64'] as const)),
  namespaces: required(object({ controller: required(dnsLabel('arc-systems')), runners: required(dnsLabel('arc-runners')) })),
  spegel: required(spegel),
  digester: required(digester),
  arc: required(arc),
  freshness: optional(freshness, { excludeNamespaces: [], maxAge: '24h', concurrency: 8, schedule: '*/30 * * * *' }),
});

/** Rules that span fields. Each pushes issues; none throws. */
const rules: ((c: Written, issues: SchemaIssue[]) => void)[] = [
  (c, issues) => {
    if (c.arc.runnerSet.minRunners > c.arc.runnerSet.maxRunners) {
      issues.push({ path: 'arc.runnerSet.minRunners', message: `(${c.arc.runnerSet.minRunners}) is greater than maxRunners (${c.arc.runnerSet.maxRunners})`, fix: 'lower minRunners or raise maxRunners' });
    }
  },
  (c, issues) => {
    const ns = { 'namespaces.controller': c.namespaces.controller, 'namespaces.runners': c.namespaces.runners, 'spegel.namespace': c.spegel.namespace, 'digester.namespace': c.digester.namespace };
    for (const [p, n] of Object.entries(ns)) {
      if (n === 'kube-system' || n === 'default' || n.startsWith('kube-')) {
        issues.push({ path: p, message: `must not be ${n}`, fix: 'use a namespace of its own, e.g. arc-systems' });
      }
    }
    if (c.namespaces.controller === c.namespaces.runners) {
      issues.push({ path: 'namespaces.runners', message: 'must differ from namespaces.controller', fix: 'use arc-systems for the controller and arc-runners for runners' });
    }
    if (c.digester.namespace === c.namespaces.runners) {
      issues.push({ path: 'digester.namespace', message: 'must not be the runner namespace (the digester never mutates its own namespace)', fix: 'keep digester.namespace: digester-system' });
    }
  },
  (c, issues) => {
    c.digester.excludeNamespaces.forEach((n, i) => {
      if (n === c.namespaces.runners) {
        issues.push({ path: `digester.excludeNamespaces[${i}]`, message: `excludes the runner namespace ${n}, so runner pods would never be pinned to digests`, fix: `remove ${n}` });
      }
    });
  },
  (c, issues) => {
    const [ctrl, set] = [c.arc.controller.chart.version, c.arc.runnerSet.chart.version];
    const minor = (v: string) => v.replace(/^v/, '').split('.').slice(0, 2).join('.');
    if (minor(ctrl) !== minor(set)) {
      issues.push({ path: 'arc.runnerSet.chart.version', message: `(${set}) must be on the same minor as arc.controller.chart.version (${ctrl}); the controller deletes scale sets of another minor`, fix: `set both to ${ctrl}` });
    }
  },
  (c, issues) => {
    const arm = c.arch === 'arm64';
    if (arm !== /arm/.test(c.arc.runnerSet.name) && /(amd|arm|x86)/.test(c.arc.runnerSet.name)) {
      issues.push({ path: 'arc.runnerSet.name', message: `names another architecture than arch (${c.arch})`, fix: 'rename the runner set or correct arch' });
    }
  },
];

export interface ParseResult {
  readonly config?: ClusterConfig;
  readonly issues: ConfigIssue[];
}

/** Validates a parsed cluster file. `file` only labels the messages. */
export function parseClusterConfig(raw: unknown, file: string): ParseResult {
  const found: SchemaIssue[] = [];
  const written = cluster.parse(raw, '', found);
  if (written) for (const rule of rules) rule(written, found);
  const issues = found.map((i) => ({ file, ...i }));
  if (!written || issues.length > 0) return { issues };
  const { apiVersion: _ignored, ...rest } = written;
  return { config: { file, ...rest }, issues: [] };
}
