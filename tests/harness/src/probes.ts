/** Readiness probes of each component, all on loopback. Each resolves true when ready. */
import { request } from 'node:https';
import type { Component } from './args.ts';
import type { KubeClient } from './kube-client.ts';
import type { Ports } from './layout.ts';

export type Probe = () => Promise<boolean>;

async function httpOk(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  await res.arrayBuffer();
  return res.ok;
}

/** HTTPS on loopback against a component's self-signed serving cert (kcm, scheduler). */
function httpsSelfSignedOk(port: number, path: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, rejectUnauthorized: false, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

export function probesFor(ports: Ports, client: () => KubeClient): Record<Component, Probe> {
  return {
    registry: () => httpOk(`http://127.0.0.1:${ports.registry}/v2/`),
    etcd: () => httpOk(`http://127.0.0.1:${ports.etcdClient}/readyz`),
    'kube-apiserver': async () => (await client().raw('GET', '/readyz')).status === 200,
    'kube-controller-manager': () => httpsSelfSignedOk(ports.controllerManager, '/healthz'),
    'kube-scheduler': () => httpsSelfSignedOk(ports.scheduler, '/healthz'),
    kwok: () => httpOk(`http://127.0.0.1:${ports.kwok}/healthz`),
  };
}
