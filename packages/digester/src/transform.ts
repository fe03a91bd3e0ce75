/**
 * The pure transform: upstream k8s-digester manifests + cluster configuration → the objects we
 * apply. Upstream is opt-in per namespace label and mutates workloads; we want every namespace
 * except kube-system (always), the digester's own and configured exclusions, Pods only, on CREATE,
 * failing open with a short timeout. `caBundle` is dropped: the digester's cert rotator owns it.
 */
import { ConfigError, digesterExcludedNamespaces, isClusterScoped, type ClusterConfig, type KubeObject } from '@stateless-ci/core';
import {
  isCertSecret,
  CONTAINER,
  DEPLOYMENT,
  DOCKER_CONFIG_DIR,
  MANAGED_BY_LABELS,
  NAMESPACE_NAME_LABEL,
  SERVICE,
  UPSTREAM_NAMESPACE,
  WEBHOOK_CONFIGURATION,
} from './names.ts';

/** Apply order: the webhook goes last, so it never points at a Service that does not exist yet. */
export const KIND_ORDER: readonly string[] = ['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'Secret', 'Service', 'Deployment', 'MutatingWebhookConfiguration'];

/** The rules we install: Pods only, CREATE only, so controllers never fight their own ReplicaSets (digester#25). */
export const POD_CREATE_RULES = [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'], scope: 'Namespaced' }] as const;

interface Container {
  name: string;
  image?: string;
  args?: string[];
  env?: { name: string; value?: string; [k: string]: unknown }[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
  [k: string]: unknown;
}
interface PodSpec {
  containers: Container[];
  volumes?: Record<string, unknown>[];
  [k: string]: unknown;
}
interface Webhook {
  name: string;
  clientConfig: { service?: { name: string; namespace: string; path?: string; port?: number }; url?: string; caBundle?: string };
  [k: string]: unknown;
}

const file = (c: ClusterConfig) => c.file;
const clone = <T>(v: T): T => structuredClone(v);

function find(objects: readonly KubeObject[], kind: string, name: string, c: ClusterConfig): KubeObject {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) {
    throw new ConfigError([
      { file: file(c), path: 'digester.manifests', message: `the manifests have no ${kind} ${name}; they do not look like a k8s-digester release`, fix: 'point digester.manifests at the release manifest of the pinned version' },
    ]);
  }
  return o;
}

function managerContainer(d: KubeObject, c: ClusterConfig): Container {
  const spec = (d.spec as { template?: { spec?: PodSpec } } | undefined)?.template?.spec;
  const container = spec?.containers.find((x) => x.name === CONTAINER);
  if (!container) throw new ConfigError([{ file: file(c), path: 'digester.manifests', message: `Deployment ${DEPLOYMENT} has no container ${CONTAINER}`, fix: 'use the upstream release manifests' }]);
  return container;
}

/** The release manifests pin the image as name:version@sha256:…; anything else is refused. */
export function checkImage(image: string | undefined, c: ClusterConfig): string {
  const v = c.digester.manifests.version;
  if (!image || !/@sha256:[a-f0-9]{64}$/.test(image)) {
    throw new ConfigError([
      { file: file(c), path: 'digester.manifests', message: `the Deployment image ${image ?? '(none)'} is not pinned to a digest (are these the manifests from main instead of a release tag?)`, fix: `use the ${v} release manifests` },
    ]);
  }
  if (!image.includes(`:${v}@`)) {
    throw new ConfigError([
      { file: file(c), path: 'digester.manifests.version', message: `is ${v}, but the manifests deploy ${image}`, fix: 'pin the version the manifests belong to, or fetch the manifests of that version' },
    ]);
  }
  return image;
}

/** Sets `--flag=value` in an argument list, replacing any earlier value of that flag. */
export function setFlag(args: readonly string[], flag: string, value: string | undefined): string[] {
  const matches = (a: string) => a === flag || a.startsWith(`${flag}=`);
  const at = args.findIndex(matches);
  const out = args.filter((a) => !matches(a));
  if (value !== undefined) out.splice(at === -1 ? out.length : at, 0, `${flag}=${value}`);
  return out;
}

function transformDeployment(d: KubeObject, c: ClusterConfig): void {
  const cfg = c.digester;
  (d.spec as { replicas: number }).replicas = cfg.replicas;
  const pod = (d.spec as { template: { spec: PodSpec } }).template.spec;
  const m = managerContainer(d, c);
  checkImage(m.image, c);
  let args = m.args ?? ['webhook'];
  args = setFlag(args, '--offline', cfg.dockerConfigSecret ? 'true' : 'false');
  args = setFlag(args, '--skip-prefixes', cfg.skipPrefixes.length > 0 ? cfg.skipPrefixes.join(':') : undefined);
  m.args = args;
  if (cfg.dockerConfigSecret) {
    pod.volumes = [...(pod.volumes ?? []).filter((v) => v.name !== 'docker-config'), { name: 'docker-config', secret: { secretName: cfg.dockerConfigSecret, items: [{ key: '.dockerconfigjson', path: 'config.json' }] } }];
    m.volumeMounts = [...(m.volumeMounts ?? []).filter((v) => v.name !== 'docker-config'), { name: 'docker-config', mountPath: DOCKER_CONFIG_DIR, readOnly: true }];
    m.env = [...(m.env ?? []).filter((e) => e.name !== 'DOCKER_CONFIG'), { name: 'DOCKER_CONFIG', value: DOCKER_CONFIG_DIR }];
  }
}

/** With offline auth the webhook reads no pull secrets, so it loses cluster-wide secret access. */
function transformClusterRole(r: KubeObject, c: ClusterConfig): void {
  if (!c.digester.dockerConfigSecret) return;
  const rules = (r.rules as { apiGroups?: string[]; resources?: string[] }[] | undefined) ?? [];
  r.rules = rules.filter((rule) => !(rule.apiGroups?.includes('') && rule.resources?.some((x) => x === 'secrets' || x === 'serviceaccounts')));
}

/** The namespace selector every rendered webhook carries; kube-system is always in it. */
export function namespaceSelectorFor(c: ClusterConfig): { matchExpressions: { key: string; operator: 'NotIn'; values: string[] }[] } {
  return { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'NotIn', values: digesterExcludedNamespaces(c) }] };
}

function transformWebhooks(mwc: KubeObject, c: ClusterConfig): void {
  const ns = c.digester.namespace;
  const hooks = (mwc.webhooks as Webhook[] | undefined) ?? [];
  if (hooks.length !== 1) {
    throw new ConfigError([{ file: file(c), path: 'digester.manifests', message: `${WEBHOOK_CONFIGURATION} has ${hooks.length} webhooks, expected 1`, fix: 'use the upstream release manifests' }]);
  }
  mwc.webhooks = hooks.map((h) => {
    const { caBundle: _owned_by_the_rotator, ...clientConfig } = h.clientConfig;
    return {
      ...h,
      name: `${SERVICE}.${ns}.svc`,
      clientConfig: { ...clientConfig, ...(clientConfig.service ? { service: { ...clientConfig.service, namespace: ns } } : {}) },
      namespaceSelector: namespaceSelectorFor(c),
      rules: clone(POD_CREATE_RULES),
      failurePolicy: 'Ignore',
      timeoutSeconds: c.digester.timeoutSeconds,
      sideEffects: 'None',
      // The API server's defaults, spelled out so live and rendered compare equal.
      matchPolicy: 'Equivalent',
      objectSelector: {},
    };
  });
}

const order = (o: KubeObject) => {
  const i = KIND_ORDER.indexOf(o.kind);
  return i === -1 ? KIND_ORDER.length : i;
};

/** Upstream objects → the objects to apply, in apply order. Pure; throws ConfigError on foreign input. */
export function transform(upstream: readonly KubeObject[], c: ClusterConfig): KubeObject[] {
  const ns = c.digester.namespace;
  const objects = upstream.filter((o) => o.kind !== 'Kustomization' && o.kind !== 'Kptfile').map(clone);
  const deployment = find(objects, 'Deployment', DEPLOYMENT, c);
  const mwc = find(objects, 'MutatingWebhookConfiguration', WEBHOOK_CONFIGURATION, c);
  find(objects, 'Namespace', UPSTREAM_NAMESPACE, c);
  for (const o of objects) {
    o.metadata.labels = { ...o.metadata.labels, ...MANAGED_BY_LABELS };
    delete o.metadata.annotations?.['config.kubernetes.io/index'];
    if (o.kind === 'Namespace' && o.metadata.name === UPSTREAM_NAMESPACE) o.metadata.name = ns;
    else if (!isClusterScoped(o.kind)) o.metadata.namespace = ns;
    const subjects = o.subjects as { kind: string; namespace?: string }[] | undefined;
    for (const s of subjects ?? []) if (s.kind === 'ServiceAccount') s.namespace = ns;
    if (o.kind === 'ClusterRole') transformClusterRole(o, c);
    if (isCertSecret(o)) {
      // The rotator fills the data; applying it would fight the rotator like caBundle would.
      delete o.data;
      delete o.stringData;
    }
  }
  transformDeployment(deployment, c);
  transformWebhooks(mwc, c);
  return objects.sort((a, b) => order(a) - order(b));
}
