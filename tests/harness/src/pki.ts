/**
 * Test PKI with openssl: one CA, one admin certificate (serverAuth+clientAuth, O=system:masters)
 * used for serving, client auth, the aggregator proxy client and kwok; one service-account keypair.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Layout } from './layout.ts';
import { serviceCidr } from './layout.ts';
import type { Runner } from './run.ts';

/** First address of the service CIDR: the in-cluster `kubernetes` Service. */
export function kubernetesServiceIp(cidr = serviceCidr): string {
  const [base] = cidr.split('/');
  const parts = (base ?? '').split('.').map(Number);
  parts[3] = (parts[3] ?? 0) + 1;
  return parts.join('.');
}

export function adminCertExtensions(advertiseAddress: string): string {
  const dns = ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];
  const ips = ['127.0.0.1', '::1', advertiseAddress, kubernetesServiceIp()];
  const san = [...dns.map((d) => `DNS:${d}`), ...ips.map((ip) => `IP:${ip}`)].join(',');
  return [
    '[req]',
    'distinguished_name = dn',
    '[dn]',
    '[ext]',
    'basicConstraints = critical,CA:FALSE',
    'keyUsage = critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage = serverAuth,clientAuth',
    `subjectAltName = ${san}`,
    '',
  ].join('\n');
}

export async function generatePki(l: Layout, run: Runner): Promise<void> {
  const p = l.pki;
  await mkdir(p.dir, { recursive: true, mode: 0o700 });
  const ext = join(p.dir, 'admin.cnf');
  await writeFile(ext, adminCertExtensions(l.advertiseAddress));
  const csr = join(p.dir, 'admin.csr');
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await Promise.all([
    run(['openssl', 'req', '-x509', ...ec, '-keyout', p.caKey, '-out', p.caCert, '-days', '3650', '-subj', '/CN=stateless-ci-harness-ca']),
    run(['openssl', 'req', '-new', ...ec, '-keyout', p.key, '-out', csr, '-subj', '/O=system:masters/CN=stateless-ci-admin']),
    run(['openssl', 'genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', p.saKey]),
  ]);
  await Promise.all([
    run(['openssl', 'x509', '-req', '-in', csr, '-CA', p.caCert, '-CAkey', p.caKey, '-CAcreateserial', '-out', p.cert, '-days', '3650', '-extfile', ext, '-extensions', 'ext']),
    run(['openssl', 'pkey', '-in', p.saKey, '-pubout', '-out', p.saPub]),
  ]);
}
