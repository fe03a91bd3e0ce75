/**
 * Checks before a deploy touches anything: the API answers, the user has the rights a deploy
 * needs (SelfSubjectAccessReviews, which persist nothing), the nodes have the cluster file's
 * architecture, and the GitHub credentials are present and well-formed.
 */
import type { ClusterConfig } from '../config/cluster-config.ts';
import { resolveCredentials, type SecretIO } from '../config/secret-source.ts';
import { UnhealthyError } from '../errors.ts';
import type { Kube } from '../kube/kube.ts';
import type { KubeObject } from '../kube/kube-object.ts';
import type { Redactor } from '../redact.ts';
import { STATE_NAMESPACE } from './state-namespace.ts';

export interface Right {
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  readonly namespace?: string;
}

/** The rights a full deploy needs, per what it writes. */
export function requiredRights(c: ClusterConfig): Right[] {
  const ns = (namespace: string): Right[] => [
    { verb: 'patch', group: 'apps', resource: 'deployments', namespace },
    { verb: 'create', group: '', resource: 'secrets', namespace },
    { verb: 'patch', group: '', resource: 'services', namespace },
    { verb: 'patch', group: '', resource: 'serviceaccounts', namespace },
  ];
  return [
    { verb: 'create', group: '', resource: 'namespaces' },
    { verb: 'patch', group: 'rbac.authorization.k8s.io', resource: 'clusterroles' },
    { verb: 'patch', group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' },
    { verb: 'patch', group: 'admissionregistration.k8s.io', resource: 'mutatingwebhookconfigurations' },
    { verb: 'patch', group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' },
    { verb: 'create', group: 'coordination.k8s.io', resource: 'leases', namespace: STATE_NAMESPACE },
    { verb: 'patch', group: 'apps', resource: 'daemonsets', namespace: c.spegel.namespace },
    ...ns(c.digester.namespace),
    ...ns(c.namespaces.controller),
    ...ns(c.namespaces.runners),
  ];
}

export async function checkApi(kube: Kube): Promise<string> {
  const res = await kube.raw('GET', '/version');
  if (res.status !== 200) throw new UnhealthyError(`the API server at ${kube.server} answered ${res.status} to /version`);
  return (JSON.parse(res.body) as { gitVersion: string }).gitVersion;
}

export async function checkRights(kube: Kube, rights: readonly Right[]): Promise<void> {
  const denied: string[] = [];
  await Promise.all(
    rights.map(async (r) => {
      // Reviews carry no metadata and no field manager; raw POST keeps the client from adding either.
      const res = await kube.raw('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: { verb: r.verb, group: r.group, resource: r.resource, namespace: r.namespace } },
      });
      if (res.status !== 201 && res.status !== 200) throw new UnhealthyError(`access review failed with HTTP ${res.status}: ${res.body.slice(0, 200)}`);
      const review = JSON.parse(res.body) as { status?: { allowed?: boolean } };
      if (!review.status?.allowed) denied.push(`${r.verb} ${r.group ? `${r.resource}.${r.group}` : r.resource}${r.namespace ? ` in ${r.namespace}` : ''}`);
    }),
  );
  if (denied.length > 0) throw new UnhealthyError(`missing rights for this deploy (nothing was changed): ${denied.sort().join('; ')}. Ask a cluster admin to grant them`);
}

/** Pure: the verdict on node architectures. */
export function archVerdict(nodes: readonly KubeObject[], arch: string): { ok: boolean; message: string; mismatched: string[] } {
  const archOf = (n: KubeObject) => n.metadata.labels?.['kubernetes.io/arch'] ?? 'unknown';
  const mismatched = nodes.filter((n) => archOf(n) !== arch).map((n) => `${n.metadata.name} (${archOf(n)})`);
  if (nodes.length === 0) return { ok: false, message: 'the cluster has no nodes', mismatched };
  if (mismatched.length === nodes.length) {
    return { ok: false, message: `no node has architecture ${arch} (the cluster file's arch); is this the right cluster?`, mismatched };
  }
  return { ok: true, message: mismatched.length ? `${nodes.length - mismatched.length}/${nodes.length} nodes are ${arch}; runners stay on those` : `all ${nodes.length} nodes are ${arch}`, mismatched };
}

export async function checkNodeArch(kube: Kube, arch: string): Promise<string> {
  const v = archVerdict(await kube.list('v1', 'Node'), arch);
  if (!v.ok) throw new UnhealthyError(`${v.message}: ${v.mismatched.slice(0, 10).join(', ')}`);
  return v.message;
}

export async function checkCredentials(c: ClusterConfig, io: SecretIO, redactor: Redactor): Promise<string> {
  if (!c.arc.enabled) return 'ARC disabled: no credentials needed';
  const creds = await resolveCredentials(c, io, redactor);
  return creds.kind === 'app' ? 'GitHub App credentials present' : 'GitHub token present';
}
