/**
 * The freshness check end to end: read pods (in pages; each new tag's HEAD starts as its page
 * arrives, see early-heads.ts), resolve each unique tag once with bounded concurrency and
 * retries, and assess. IO comes in through `deps`; the CLI, the tests and the
 * benchmark call this same function.
 */
import { RegistryClient, realRetryIO, type Arch, type Fetch, type Kube, type Logger, type Redactor, type RetryIO } from '@stateless-ci/core';
import { assess } from './assess.ts';
import { podPages, readOwners, readPullSecrets } from './cluster-reads.ts';
import { mergeCredentials, parseDockerConfig } from './docker-config.ts';
import { EarlyHeads } from './early-heads.ts';
import { imageUses, uniqueRefs, type PodLike } from './pod-images.ts';
import { limiter } from './pool.ts';
import { registryRetry } from './registry-retry.ts';
import { resolveRefs, type ResolveOptions } from './resolve-refs.ts';
import type { Report, RequestCounts } from './types.ts';

export interface FreshnessOptions {
  readonly cluster: string;
  readonly arch: Arch;
  readonly maxAgeSeconds: number;
  /** @default 8 */
  readonly concurrency: number;
  /** Besides kube-system, which is always excluded. */
  readonly excludeNamespaces: readonly string[];
  /** @default 'on-change' */
  readonly archCheck: ResolveOptions['archCheck'];
  /** Read the pods' imagePullSecrets for registry credentials. @default true */
  readonly pullSecrets: boolean;
  /** Contents of a Docker config file, if one was given or found. */
  readonly dockerConfig?: { readonly text: string; readonly source: string };
}

export interface FreshnessDeps {
  readonly kube: Kube;
  readonly log: Logger;
  readonly redactor: Redactor;
  readonly fetch?: Fetch;
  readonly retryIO?: Pick<RetryIO, 'sleep' | 'random'>;
  readonly now?: () => number;
}

export async function runFreshness(opts: FreshnessOptions, deps: FreshnessDeps): Promise<Report> {
  const now = deps.now ?? Date.now;
  const started = now();
  const fromFile = opts.dockerConfig ? parseDockerConfig(opts.dockerConfig.text, deps.redactor, opts.dockerConfig.source) : undefined;
  for (const p of fromFile?.problems ?? []) deps.log.warn(p);
  // Filled with the pods' pull secrets once every page is in; early HEADs see the file's only.
  const credentials = new Map(fromFile?.credentials ?? []);

  const requests: RequestCounts = { head: 0, get: 0, token: 0, retries: 0 };
  const registry = new RegistryClient({
    fetch: deps.fetch,
    credentials: (host) => credentials.get(host),
    onRequest: (method, url) => {
      if (!new URL(url).pathname.startsWith('/v2/')) requests.token++;
      else if (method === 'HEAD') requests.head++;
      else if (method === 'GET') requests.get++;
    },
  });
  const early = new EarlyHeads(registry, limiter(opts.concurrency), now);

  const pods: PodLike[] = [];
  for await (const page of podPages(deps.kube, opts.excludeNamespaces)) {
    pods.push(...page);
    for (const u of imageUses(page, new Map()).uses) if (u.refKey && u.pullSecrets.length === 0) early.offer(u.refKey);
  }
  const owners = await readOwners(deps.kube, opts.excludeNamespaces, pods);
  const { uses, badImages } = imageUses(pods, owners);
  for (const b of badImages) deps.log.warn(`${b.pod}: image ${JSON.stringify(b.image)} cannot be parsed: ${b.reason}`);
  const refs = uniqueRefs(uses);

  const secretKeys = new Set(opts.pullSecrets ? uses.filter((u) => u.refKey).flatMap((u) => u.pullSecrets.map((s) => `${u.namespace}/${s}`)) : []);
  const fromSecrets = secretKeys.size ? await readPullSecrets(deps.kube, secretKeys, deps.redactor, deps.log) : new Map();
  for (const [host, c] of mergeCredentials(fromSecrets, fromFile?.credentials ?? new Map())) credentials.set(host, c);
  const kubeDone = now();

  const retryIO = deps.retryIO ?? realRetryIO;
  const retry = <T>(what: string, fn: () => Promise<T>) =>
    registryRetry(fn, (reason, delay) => {
      requests.retries++;
      deps.log.warn(`${what}: ${reason}; retrying in ${(delay / 1000).toFixed(1)}s`);
    }, retryIO);

  const registryStart = early.firstStartedAt ?? kubeDone;
  const { results, rateLimits } = await resolveRefs(refs, { arch: opts.arch, concurrency: opts.concurrency, archCheck: opts.archCheck }, { registry: early.reader(), retry });
  const end = now();
  return {
    cluster: opts.cluster,
    arch: opts.arch,
    checkedAt: new Date(end).toISOString(),
    maxAgeSeconds: opts.maxAgeSeconds,
    pods: pods.length,
    containers: uses.length,
    uniqueRefs: refs.size,
    findings: assess(uses, results, end, opts.maxAgeSeconds),
    rateLimits,
    requests,
    durationMs: end - started,
    // The two overlap: HEADs start while pods are still being listed.
    timings: { kubeMs: kubeDone - started, registryMs: end - registryStart },
  };
}
