/**
 * The optional deep check of node prerequisites: one short-lived Job per eligible node (pinned to
 * it with nodeName, host filesystem mounted read-only) prints `containerd config dump` (or, when
 * that fails, /etc/containerd/config.toml) and the hosts.toml files under Spegel's config path;
 * the output is parsed and analysed by containerd-config.ts. This is one pod and one log read per
 * node by nature, so it is opt-in; the Jobs are always deleted afterwards (and carry a TTL as a
 * backstop), which is why it needs no rollback.
 */
import { createHash } from 'node:crypto';
import { fail, pass, warn, type Check, type ClusterContext, type KubeObject } from '@stateless-ci/core';
import { analyzeProbeOutput, PROBE_MARK, type Finding } from '../containerd-config.ts';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, PROBE_LABEL, type SpegelNames } from '../names.ts';
import { nameList } from './coverage.ts';
import type { PodLike } from './pods.ts';
import { parseRuntime } from './runtime.ts';
import type { NodeLike } from './scheduling.ts';

export const NODE_CONFIG_CHECK = 'spegel.node-config';
const RUN_LABEL = 'stateless-ci.dev/probe-run';

export interface NodeConfigOptions {
  /** Image with a POSIX shell, cat and chroot. @default busybox:1.37 */
  readonly image: string;
  /** @default 180000 */
  readonly timeoutMs: number;
  /** Jobs created / logs read at once. @default 16 */
  readonly concurrency: number;
}

export const DEFAULT_NODE_CONFIG: NodeConfigOptions = { image: 'busybox:1.37', timeoutMs: 180_000, concurrency: 16 };

export function probeScript(spegelPath: string): string {
  return [
    `echo '${PROBE_MARK}'`,
    `if chroot /host containerd config dump >/tmp/config 2>/dev/null; then echo '### source dump'; cat /tmp/config; else echo '### source file'; cat /host/etc/containerd/config.toml 2>/dev/null; fi`,
    `for f in '/host${spegelPath}'/*/hosts.toml; do if [ -f "$f" ]; then echo "### hosts \${f#/host}"; cat "$f"; fi; done`,
    `echo '### end'`,
  ].join('\n');
}

export function probeJobName(release: string, node: string, runId: string): string {
  return `${release.slice(0, 30)}-probe-${createHash('sha256').update(node).digest('hex').slice(0, 10)}-${runId}`;
}

/** Pure: the Job that reads one node's containerd configuration. */
export function probeJob(n: SpegelNames, node: string, runId: string, spegelPath: string, image: string): KubeObject {
  const labels = { [PROBE_LABEL]: n.release, [RUN_LABEL]: runId, [MANAGED_BY_LABEL]: MANAGED_BY_VALUE };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: probeJobName(n.release, node, runId), namespace: n.namespace, labels, annotations: { 'stateless-ci.dev/node': node } },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: 120,
      ttlSecondsAfterFinished: 600,
      template: {
        metadata: { labels: { ...labels }, annotations: { 'stateless-ci.dev/node': node } },
        spec: {
          nodeName: node,
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          tolerations: [{ operator: 'Exists' }],
          containers: [
            {
              name: 'probe',
              image,
              command: ['sh', '-c', probeScript(spegelPath)],
              securityContext: { readOnlyRootFilesystem: false, allowPrivilegeEscalation: false },
              volumeMounts: [{ name: 'host', mountPath: '/host', readOnly: true }],
              resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } },
            },
          ],
          volumes: [{ name: 'host', hostPath: { path: '/', type: 'Directory' } }],
        },
      },
    },
  };
}

async function pool<T>(items: readonly T[], limit: number, fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

/** Pure: per-node findings to one check. */
export function nodeConfigVerdict(findings: ReadonlyMap<string, readonly Finding[]>): Check {
  const failing = [...findings].filter(([, f]) => f.some((x) => x.level === 'fail'));
  const warning = [...findings].filter(([, f]) => f.length > 0 && f.every((x) => x.level === 'warn'));
  const text = (rows: typeof failing) => nameList(rows.map(([node, f]) => `${node}: ${f.map((x) => x.message).join('; ')}`));
  if (failing.length > 0) return fail(NODE_CONFIG_CHECK, `containerd is not ready for Spegel on ${failing.length} of ${findings.size} nodes: ${text(failing)}`, failing.map(([n]) => n));
  if (warning.length > 0) return warn(NODE_CONFIG_CHECK, `${warning.length} of ${findings.size} nodes: ${text(warning)}`, warning.map(([n]) => n));
  return pass(NODE_CONFIG_CHECK, `containerd config on all ${findings.size} nodes: config_path, discard_unpacked_layers and Spegel's hosts.toml as required`);
}

export async function nodeConfigCheck(ctx: ClusterContext, n: SpegelNames, eligible: readonly NodeLike[], o: NodeConfigOptions = DEFAULT_NODE_CONFIG): Promise<Check> {
  const c = ctx.cluster.spegel;
  const runId = Date.now().toString(36).slice(-6);
  const jobs = eligible.map((node) => ({ node, job: probeJob(n, node.metadata.name, runId, c.containerdRegistryConfigPath, o.image) }));
  const findings = new Map<string, readonly Finding[]>();
  try {
    await pool(jobs, o.concurrency, async ({ job }) => void (await ctx.kube.create(job)));
    const done = new Map<string, PodLike>();
    try {
      await ctx.kube.waitFor<KubeObject & PodLike, boolean>({
        path: `/api/v1/namespaces/${n.namespace}/pods`,
        query: { labelSelector: `${RUN_LABEL}=${runId}` },
        description: `${jobs.length} node-config probe pods to finish`,
        timeoutMs: o.timeoutMs,
        signal: ctx.signal,
        until: (_t, _o, all) => {
          for (const p of all.values()) if (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') done.set(p.spec?.nodeName ?? '', p);
          return done.size >= jobs.length ? true : undefined;
        },
      });
    } catch (e) {
      ctx.log.warn(`spegel: ${(e as Error).message}`);
    }
    await pool(jobs, o.concurrency, async ({ node }) => {
      const name = node.metadata.name;
      const pod = done.get(name);
      const runtime = parseRuntime(node.status?.nodeInfo?.containerRuntimeVersion);
      if (!pod) return void findings.set(name, [{ level: 'fail', message: `probe pod did not finish within ${Math.round(o.timeoutMs / 1000)}s (image ${o.image} pullable? node up?)` }]);
      const res = await ctx.kube.raw('GET', `/api/v1/namespaces/${n.namespace}/pods/${pod.metadata.name}/log?container=probe`);
      if (res.status !== 200) return void findings.set(name, [{ level: 'fail', message: `cannot read probe logs (HTTP ${res.status})` }]);
      findings.set(name, analyzeProbeOutput(res.body, { runtime: runtime.kind === 'containerd' ? runtime : undefined, spegelPath: c.containerdRegistryConfigPath, mirrorAdd: c.mirrorRegistries }));
    });
  } finally {
    await pool(jobs, o.concurrency, async ({ job }) => void (await ctx.kube.delete({ apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name, namespace: n.namespace }).catch(() => false)));
  }
  return nodeConfigVerdict(findings);
}
