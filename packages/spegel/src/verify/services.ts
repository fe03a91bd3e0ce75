/** Pure: the three Services the chart renders, and the bootstrap Service's endpoints. */
import { fail, pass, warn, type Check } from '@stateless-ci/core';
import type { SpegelNames } from '../names.ts';

export interface ServiceLike {
  metadata: { name: string };
  spec?: { type?: string; clusterIP?: string; ports?: { name?: string; port: number; nodePort?: number }[] };
}

export interface EndpointSliceLike {
  metadata: { name: string; labels?: Record<string, string> };
  endpoints?: { addresses?: string[] }[];
}

export const SERVICES_CHECK = 'spegel.services';

export function servicesCheck(n: SpegelNames, services: readonly ServiceLike[], slices: readonly EndpointSliceLike[], podCount: number): Check {
  const byName = new Map(services.map((s) => [s.metadata.name, s]));
  const problems: string[] = [];
  const reg = byName.get(n.registryService);
  const nodePort = reg?.spec?.ports?.find((p) => p.nodePort)?.nodePort;
  if (!reg) problems.push(`Service ${n.registryService} missing`);
  else if (reg.spec?.type !== 'NodePort' || !nodePort) problems.push(`Service ${n.registryService} is not a NodePort Service (containerd's second mirror target)`);
  const boot = byName.get(n.bootstrapService);
  if (!boot) problems.push(`Service ${n.bootstrapService} missing (peers cannot find each other)`);
  else if (boot.spec?.clusterIP !== 'None') problems.push(`Service ${n.bootstrapService} is not headless`);
  const metrics = byName.get(n.metricsService);
  if (!metrics?.spec?.ports?.some((p) => p.name === 'metrics')) problems.push(`Service ${n.metricsService} has no metrics port`);
  if (problems.length > 0) return fail(SERVICES_CHECK, `${problems.join('; ')}: re-run \`pnpm task spegel apply\``);
  const addresses = slices.reduce((sum, s) => sum + (s.endpoints ?? []).reduce((a, e) => a + (e.addresses?.length ?? 0), 0), 0);
  if (addresses < podCount) {
    return warn(SERVICES_CHECK, `bootstrap Service ${n.bootstrapService} lists ${addresses} of ${podCount} pods: new peers may not find the others yet`);
  }
  return pass(SERVICES_CHECK, `registry NodePort ${nodePort}, bootstrap lists ${addresses} peers, metrics Service present`, { nodePort: nodePort ?? 0, bootstrapPeers: addresses });
}
