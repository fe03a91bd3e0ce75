/**
 * The normalized cluster configuration: what the rest of the tool reads after a cluster file has
 * been validated and its defaults applied. Written as readonly types; see cluster-schema.ts for the
 * rules and defaults, and README.md for the file reference.
 */

export type Arch = 'amd64' | 'arm64';
export type ComponentName = 'spegel' | 'digester' | 'arc';
export const COMPONENTS: readonly ComponentName[] = ['spegel', 'digester', 'arc'];

/** Where a chart or manifest bundle comes from. `oci://…`, `https://…` or a local path. */
export interface SourceRef {
  /** @example oci://ghcr.io/spegel-org/helm-charts/spegel */
  readonly source: string;
  /** @example 0.7.4 */
  readonly version: string;
}

export interface ImageRef {
  readonly repository: string;
  readonly tag: string;
  /** Pins the image further; when set, it wins over the tag. */
  readonly digest?: string;
}

/** A secret is named, never written: an environment variable or a file path holding it. */
export type SecretSource = { readonly env: string } | { readonly file: string };

export interface SpegelConfig {
  readonly enabled: boolean;
  /** @default spegel */
  readonly namespace: string;
  /** @default spegel */
  readonly release: string;
  readonly chart: SourceRef;
  readonly image: ImageRef;
  /** @default /run/containerd/containerd.sock */
  readonly containerdSock: string;
  /** @default /etc/containerd/certs.d */
  readonly containerdRegistryConfigPath: string;
  /** @default /var/lib/containerd/io.containerd.content.v1.content */
  readonly containerdContentPath: string;
  /** Writes containerd mirror config on every node (the chart's containerdMirrorAdd). @default true */
  readonly mirrorRegistries: boolean;
  /** Registries to mirror; empty means all. @example [https://ghcr.io, https://docker.io] */
  readonly mirroredRegistries: readonly string[];
  /** Let peers answer tag lookups. Off by default: a re-pushed `:latest` must never be served stale. */
  readonly resolveTags: boolean;
  /** Run on every node, tainted ones included. @default true */
  readonly allNodes: boolean;
  readonly logLevel: 'INFO' | 'DEBUG';
}

export interface DigesterConfig {
  readonly enabled: boolean;
  /** @default digester-system */
  readonly namespace: string;
  readonly manifests: SourceRef;
  /** Namespaces left alone besides kube-system (always excluded) and the digester's own. */
  readonly excludeNamespaces: readonly string[];
  /** Webhook timeout; failurePolicy stays Ignore. @default 5 */
  readonly timeoutSeconds: number;
  /** @default 3 */
  readonly replicas: number;
  /** Name of an existing `kubernetes.io/dockerconfigjson` Secret in the digester namespace. */
  readonly dockerConfigSecret?: string;
  /** Image prefixes never rewritten. */
  readonly skipPrefixes: readonly string[];
}

export type ContainerMode = 'kubernetes-novolume';

export type GitHubCredentials =
  | {
      readonly kind: 'app';
      readonly appId: SecretSource;
      readonly installationId: SecretSource;
      readonly privateKey: SecretSource;
    }
  | { readonly kind: 'token'; readonly token: SecretSource };

export interface ResourceList {
  readonly cpu: string;
  readonly memory: string;
}

export interface ArcConfig {
  readonly enabled: boolean;
  readonly controller: {
    /** @default arc */
    readonly release: string;
    readonly chart: SourceRef;
  };
  readonly runnerSet: {
    /** The `runs-on:` label and the helm release name. */
    readonly name: string;
    readonly chart: SourceRef;
    readonly minRunners: number;
    readonly maxRunners: number;
    /** @default ghcr.io/actions/actions-runner:latest */
    readonly runnerImage: string;
    readonly resources: { readonly requests: ResourceList; readonly limits: ResourceList };
    readonly runnerGroup?: string;
  };
  readonly containerMode: ContainerMode;
  /** @example https://github.com/my-org */
  readonly githubConfigUrl: string;
  readonly credentials: GitHubCredentials;
}

export interface FreshnessConfig {
  readonly excludeNamespaces: readonly string[];
  /** Max age of a stale image before the check fails, e.g. 24h. */
  readonly maxAge: string;
  readonly concurrency: number;
  /** Cron schedule for the rendered CronJob and workflow. */
  readonly schedule: string;
}

export interface ClusterConfig {
  /** The cluster file this came from, for messages. */
  readonly file: string;
  readonly name: string;
  readonly kubeContext: string;
  readonly arch: Arch;
  readonly namespaces: { readonly controller: string; readonly runners: string };
  readonly spegel: SpegelConfig;
  readonly digester: DigesterConfig;
  readonly arc: ArcConfig;
  readonly freshness: FreshnessConfig;
}

/** Namespaces the digester never touches, whatever the configuration says. */
export function digesterExcludedNamespaces(c: ClusterConfig): string[] {
  return [...new Set(['kube-system', c.digester.namespace, ...c.digester.excludeNamespaces])];
}
