/** REST paths for the kinds the digester renders (for PUT/POST, which the generic client lacks). */
import { isClusterScoped, type ObjectKey } from '@stateless-ci/core';

const PLURALS: Readonly<Record<string, string>> = {
  Namespace: 'namespaces',
  ServiceAccount: 'serviceaccounts',
  ClusterRole: 'clusterroles',
  ClusterRoleBinding: 'clusterrolebindings',
  Role: 'roles',
  RoleBinding: 'rolebindings',
  Secret: 'secrets',
  Service: 'services',
  Deployment: 'deployments',
  MutatingWebhookConfiguration: 'mutatingwebhookconfigurations',
  ConfigMap: 'configmaps',
};

/** The collection path for `key`'s kind (and namespace). Throws for kinds it does not know. */
export function collectionPath(key: Pick<ObjectKey, 'apiVersion' | 'kind' | 'namespace'>): string {
  const plural = PLURALS[key.kind];
  if (!plural) throw new Error(`no REST path known for kind ${key.kind}`);
  const base = key.apiVersion === 'v1' ? '/api/v1' : `/apis/${key.apiVersion}`;
  return isClusterScoped(key.kind) || !key.namespace ? `${base}/${plural}` : `${base}/namespaces/${key.namespace}/${plural}`;
}

export const objectPath = (key: ObjectKey): string => `${collectionPath(key)}/${key.name}`;

/** Snapshot keys are strings; this form keeps the apiVersion so an absent object can be deleted. */
export const encodeKey = (k: ObjectKey): string => [k.apiVersion, k.kind, k.namespace ?? '', k.name].join('|');

export function decodeKey(s: string): ObjectKey {
  const [apiVersion, kind, namespace, name] = s.split('|');
  if (!apiVersion || !kind || !name) throw new Error(`not a snapshot key: ${s}`);
  return { apiVersion, kind, name, ...(namespace ? { namespace } : {}) };
}
