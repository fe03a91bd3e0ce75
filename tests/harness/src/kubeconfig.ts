/** Kubeconfig rendering with embedded credentials, so the file stands alone. Pure. */
import { stringify } from 'yaml';

export interface KubeconfigInput {
  readonly server: string;
  readonly context: string;
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

export function renderKubeconfig(i: KubeconfigInput): string {
  const cluster = `${i.context}-harness`;
  const user = `${i.context}-admin`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { server: i.server, 'certificate-authority-data': b64(i.caPem) } }],
    users: [{ name: user, user: { 'client-certificate-data': b64(i.certPem), 'client-key-data': b64(i.keyPem) } }],
    contexts: [{ name: i.context, context: { cluster, user, namespace: 'default' } }],
    'current-context': i.context,
    preferences: {},
  });
}
