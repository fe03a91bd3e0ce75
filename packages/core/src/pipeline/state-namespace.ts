/** Where the tool keeps its own state in a cluster: the deploy lock and the deploy record. */
export const STATE_NAMESPACE = 'stateless-ci';
export const LOCK_NAME = 'stateless-ci-deploy';
export const RECORD_NAME = 'stateless-ci-deploys';

export const stateNamespaceObject = () => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: STATE_NAMESPACE, labels: { 'app.kubernetes.io/managed-by': 'stateless-ci' } },
});
