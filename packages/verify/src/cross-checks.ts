/**
 * Checks that span components: the digester pins the runner image in the runner namespace (by a
 * server-side dry run, which runs the webhook and persists nothing), and runner pods sit on nodes
 * of the cluster's architecture.
 */
import { fail, pass, skip, warn, type Check, type ClusterContext, type KubeObject } from '@stateless-ci/core';

const PINNED = /@sha256:[a-f0-9]{64}$/;

type Pod = KubeObject & { spec?: { nodeName?: string; containers?: { image: string }[] } };

export async function digesterPinsRunnerImage(ctx: ClusterContext): Promise<Check> {
  const name = 'cross.digester-pins-runner-image';
  const c = ctx.cluster;
  if (!c.digester.enabled) return skip(name, 'the digester is disabled in the cluster file');
  if (!c.arc.enabled) return skip(name, 'ARC is disabled in the cluster file, so there is no runner namespace to probe');
  const image = c.arc.runnerSet.runnerImage;
  if (PINNED.test(image)) return skip(name, `the runner image is already pinned in the cluster file (${image})`);
  const ns = c.namespaces.runners;
  if (!(await ctx.kube.read({ apiVersion: 'v1', kind: 'Namespace', name: ns }))) return fail(name, `namespace ${ns} does not exist; deploy ARC first`);
  const started = Date.now();
  const pod = await ctx.kube.create<Pod>(
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'stateless-ci-pin-probe', namespace: ns },
      spec: { containers: [{ name: 'runner', image }], nodeSelector: { 'kubernetes.io/arch': c.arch } },
    },
    { dryRun: true },
  );
  const ms = Date.now() - started;
  const got = pod.spec?.containers?.[0]?.image ?? '';
  if (PINNED.test(got)) return pass(name, `${image} is admitted as ${got.slice(got.indexOf('@'))} in ${ns} (${ms} ms)`, { admissionMs: ms });
  return fail(
    name,
    `${image} is admitted unpinned in ${ns} (${ms} ms): the webhook did not answer or could not resolve the tag; it fails open, so check the digester pods' logs and that it can reach the registry`,
  );
}

export async function runnerPodsOnClusterArch(ctx: ClusterContext): Promise<Check> {
  const name = 'cross.runner-pods-on-cluster-arch';
  const c = ctx.cluster;
  if (!c.arc.enabled) return skip(name, 'ARC is disabled in the cluster file');
  const pods = await ctx.kube.list<Pod>('v1', 'Pod', { namespace: c.namespaces.runners, labelSelector: 'app.kubernetes.io/component=runner' });
  if (pods.length === 0) return pass(name, 'no runner pods right now (scaled to zero)');
  const nodes = new Map((await ctx.kube.list('v1', 'Node')).map((n) => [n.metadata.name, n.metadata.labels?.['kubernetes.io/arch'] ?? 'unknown']));
  const wrong = pods.filter((p) => p.spec?.nodeName && nodes.get(p.spec.nodeName) !== c.arch).map((p) => `${p.metadata.name} on ${p.spec?.nodeName} (${nodes.get(p.spec!.nodeName!)})`);
  const pending = pods.filter((p) => !p.spec?.nodeName).length;
  if (wrong.length > 0) return fail(name, `${wrong.length} runner pod(s) run on another architecture than ${c.arch}`, wrong);
  if (pending > 0) return warn(name, `${pending} runner pod(s) not scheduled yet; ${pods.length - pending} on ${c.arch}`);
  return pass(name, `all ${pods.length} runner pods on ${c.arch} nodes`);
}
