/** File and port layout of one harness state directory. Pure. */
import { join } from 'node:path';

export interface Ports {
  readonly etcdClient: number;
  readonly etcdPeer: number;
  readonly apiserver: number;
  readonly controllerManager: number;
  readonly scheduler: number;
  readonly kwok: number;
  readonly registry: number;
}

/** Fixed ports: each run has its own network namespace, so nothing else is listening there. */
export const defaultPorts: Ports = {
  etcdClient: 2379,
  etcdPeer: 2380,
  apiserver: 6443,
  controllerManager: 10257,
  scheduler: 10259,
  kwok: 10247,
  registry: 5000,
};

export const serviceCidr = '10.0.0.0/24';
export const podCidr = '10.244.0.0/16';
export const defaultAdvertiseAddress = '198.18.0.2';

export interface Layout {
  readonly dir: string;
  readonly ports: Ports;
  readonly advertiseAddress: string;
  readonly pki: { readonly dir: string; readonly caCert: string; readonly caKey: string; readonly cert: string; readonly key: string; readonly saKey: string; readonly saPub: string };
  readonly kubeconfig: string;
  readonly etcdData: string;
  readonly apiserverCertDir: string;
  readonly logs: string;
  readonly pids: string;
  readonly kwokDir: string;
  readonly registryDir: string;
  readonly helmHome: string;
  readonly state: string;
  /** API server audit log (JSON lines, Metadata level) and its policy: request counting in tests. */
  readonly auditLog: string;
  readonly auditPolicy: string;
}

export function layoutFor(dir: string, ports: Ports = defaultPorts, advertiseAddress = defaultAdvertiseAddress): Layout {
  const pki = join(dir, 'pki');
  return {
    dir,
    ports,
    advertiseAddress,
    pki: {
      dir: pki,
      caCert: join(pki, 'ca.crt'),
      caKey: join(pki, 'ca.key'),
      cert: join(pki, 'admin.crt'),
      key: join(pki, 'admin.key'),
      saKey: join(pki, 'sa.key'),
      saPub: join(pki, 'sa.pub'),
    },
    kubeconfig: join(dir, 'kubeconfig'),
    etcdData: join(dir, 'etcd'),
    apiserverCertDir: join(dir, 'apiserver'),
    logs: join(dir, 'logs'),
    pids: join(dir, 'pids'),
    kwokDir: join(dir, 'kwok'),
    registryDir: join(dir, 'registry'),
    helmHome: join(dir, 'helm'),
    state: join(dir, 'state.json'),
    auditLog: join(dir, 'logs', 'audit.log'),
    auditPolicy: join(dir, 'audit-policy.yaml'),
  };
}
