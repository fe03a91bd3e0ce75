/** Command lines of the control-plane components (testcluster.md §4, adapted). Pure. */
import type { Layout } from './layout.ts';
import { podCidr, serviceCidr } from './layout.ts';

export type Component = 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kwok' | 'registry';

/** Start order; stop order is the reverse. */
export const startOrder: readonly Component[] = ['registry', 'etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'];

const loopback = '127.0.0.1';
const healthPaths = '/healthz,/readyz,/livez,/metrics';

export function etcdArgs(l: Layout): string[] {
  const client = `http://${loopback}:${l.ports.etcdClient}`;
  const peer = `http://${loopback}:${l.ports.etcdPeer}`;
  return [
    '--name=node0',
    `--data-dir=${l.etcdData}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=node0=${peer}`,
    '--auto-compaction-retention=1',
    '--quota-backend-bytes=8589934592',
    '--unsafe-no-fsync=true',
    '--log-level=warn',
  ];
}

export function apiserverArgs(l: Layout): string[] {
  const p = l.pki;
  return [
    `--etcd-servers=http://${loopback}:${l.ports.etcdClient}`,
    '--etcd-prefix=/registry',
    `--bind-address=${loopback}`,
    `--advertise-address=${l.advertiseAddress}`,
    `--secure-port=${l.ports.apiserver}`,
    `--cert-dir=${l.apiserverCertDir}`,
    `--tls-cert-file=${p.cert}`,
    `--tls-private-key-file=${p.key}`,
    `--client-ca-file=${p.caCert}`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${p.saPub}`,
    `--service-account-signing-key-file=${p.saKey}`,
    `--service-cluster-ip-range=${serviceCidr}`,
    '--authorization-mode=Node,RBAC',
    '--allow-privileged=true',
    `--proxy-client-cert-file=${p.cert}`,
    `--proxy-client-key-file=${p.key}`,
    // 1,000 fake nodes renew leases and statuses; one client (kwok) would otherwise be throttled by APF.
    '--enable-priority-and-fairness=false',
    '--max-requests-inflight=0',
    '--max-mutating-requests-inflight=0',
    '--profiling=false',
    `--audit-policy-file=${l.auditPolicy}`,
    `--audit-log-path=${l.auditLog}`,
    '--audit-log-format=json',
    '--audit-log-maxsize=200',
  ];
}

export function controllerManagerArgs(l: Layout): string[] {
  return [
    `--kubeconfig=${l.kubeconfig}`,
    `--bind-address=${loopback}`,
    `--secure-port=${l.ports.controllerManager}`,
    `--authorization-always-allow-paths=${healthPaths}`,
    `--root-ca-file=${l.pki.caCert}`,
    `--service-account-private-key-file=${l.pki.saKey}`,
    '--use-service-account-credentials=false',
    '--node-monitor-period=25s',
    '--node-monitor-grace-period=3m20s',
    '--leader-elect=false',
    '--kube-api-qps=5000',
    '--kube-api-burst=10000',
    '--concurrent-daemonset-syncs=5',
    '--profiling=false',
  ];
}

export function schedulerArgs(l: Layout): string[] {
  return [
    `--kubeconfig=${l.kubeconfig}`,
    `--bind-address=${loopback}`,
    `--secure-port=${l.ports.scheduler}`,
    `--authorization-always-allow-paths=${healthPaths}`,
    '--leader-elect=false',
    '--kube-api-qps=5000',
    '--kube-api-burst=10000',
    '--profiling=false',
  ];
}

/** `configs` are the --config paths (stage kustomize dir and the ClusterLogs file). */
export function kwokArgs(l: Layout, configs: readonly string[]): string[] {
  return [
    `--kubeconfig=${l.kubeconfig}`,
    ...configs.map((c) => `--config=${c}`),
    '--manage-all-nodes=true',
    // Nodes get Hostname=localhost, so the apiserver reaches kwok's kubelet API (logs) on loopback.
    '--node-name=localhost',
    `--node-port=${l.ports.kwok}`,
    `--server-address=${loopback}:${l.ports.kwok}`,
    `--tls-cert-file=${l.pki.cert}`,
    `--tls-private-key-file=${l.pki.key}`,
    '--node-lease-duration-seconds=200',
    `--cidr=${podCidr}`,
  ];
}

export function registryArgs(configFile: string): string[] {
  return ['serve', configFile];
}
