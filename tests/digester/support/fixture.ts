/**
 * A minimal, hand-written stand-in for the upstream release manifests (same names and shape that
 * the transform relies on; not upstream's text), and the theia-prod cluster config.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadClusterFile, type ClusterConfig, type DigesterConfig, type KubeObject } from '@stateless-ci/core';

export const PINNED_IMAGE = `ghcr.io/google/k8s-digester:v0.1.16@sha256:${'a'.repeat(64)}`;

export function upstreamLike(image = PINNED_IMAGE): KubeObject[] {
  const ns = 'digester-system';
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'digester/system': 'yes' } } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'digester-admin', namespace: ns } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'digester-manager-role' },
      rules: [
        { apiGroups: [''], resources: ['secrets', 'serviceaccounts'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations'], verbs: ['get', 'list', 'watch'] },
      ],
    },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'digester-manager-rolebinding' }, roleRef: { kind: 'ClusterRole', name: 'digester-manager-role', apiGroup: 'rbac.authorization.k8s.io' }, subjects: [{ kind: 'ServiceAccount', name: 'digester-admin', namespace: ns }] },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'digester-webhook-server-cert', namespace: ns } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'digester-webhook-service', namespace: ns }, spec: { ports: [{ port: 443, targetPort: 8443 }] } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'digester-controller-manager', namespace: ns },
      spec: { replicas: 3, template: { spec: { containers: [{ name: 'manager', image, args: ['webhook', '--cert-dir=/certs', '--offline=false', '--port=8443'] }] } } },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: 'digester-mutating-webhook-configuration' },
      webhooks: [
        {
          name: `digester-webhook-service.${ns}.svc`,
          clientConfig: { service: { name: 'digester-webhook-service', namespace: ns, path: '/v1/mutate' }, caBundle: 'Cg==' },
          namespaceSelector: { matchLabels: { 'digest-resolution': 'enabled' } },
          rules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments'] }],
          failurePolicy: 'Ignore',
          timeoutSeconds: 15,
          sideEffects: 'None',
          admissionReviewVersions: ['v1'],
        },
      ],
    },
  ];
}

const clusters = path.join(import.meta.dirname, '../../../clusters');
const io = { readFile: async (p: string) => readFileSync(p, 'utf8'), listClusters: async () => [] };
const theia = await loadClusterFile('theia-prod', clusters, io);

export function cluster(digester: Partial<DigesterConfig> = {}): ClusterConfig {
  return { ...theia, digester: { ...theia.digester, ...digester } };
}
