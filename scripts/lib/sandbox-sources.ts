/**
 * What the sandbox can deploy: which components have their pinned upstream content in the sandbox
 * registry (the Go module proxy refuses the Spegel and ARC repositories, so without a local
 * checkout those charts are absent), and throwaway GitHub App credentials, since the sandbox has
 * no GitHub. Shared by the demo and the benchmarks.
 */
import { generateKeyPairSync } from 'node:crypto';
import { COMPONENTS, RegistryClient, parseReference, resolveChart, resolveManifests, type ClusterConfig, type ComponentName, type ResolvedSource } from '@stateless-ci/core';

async function missingReason(ref: ResolvedSource, client: RegistryClient): Promise<string | undefined> {
  try {
    const bare = ref.ref.replace(/^oci:\/\//, '');
    const tagged = bare.slice(bare.lastIndexOf('/')).includes(':') ? bare : `${bare}:${ref.version}`;
    await client.headManifest(parseReference(tagged));
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** component → why its content is missing (undefined when present). */
export async function sourcesAvailable(c: ClusterConfig, env: NodeJS.ProcessEnv): Promise<Map<ComponentName, string | undefined>> {
  const client = new RegistryClient();
  const refs = (name: ComponentName): ResolvedSource[] =>
    name === 'spegel'
      ? [resolveChart(c.spegel.chart, env)]
      : name === 'digester'
        ? [resolveManifests(c.digester.manifests, 'k8s-digester', env)]
        : [resolveChart(c.arc.controller.chart, env), resolveChart(c.arc.runnerSet.chart, env)];
  const out = new Map<ComponentName, string | undefined>();
  for (const name of COMPONENTS) out.set(name, (await Promise.all(refs(name).map((r) => missingReason(r, client)))).find(Boolean));
  return out;
}

/** The cluster file with components whose content is missing switched off. */
export function withAvailable(c: ClusterConfig, missing: ReadonlyMap<ComponentName, string | undefined>): ClusterConfig {
  return {
    ...c,
    spegel: { ...c.spegel, enabled: c.spegel.enabled && !missing.get('spegel') },
    digester: { ...c.digester, enabled: c.digester.enabled && !missing.get('digester') },
    arc: { ...c.arc, enabled: c.arc.enabled && !missing.get('arc') },
  };
}

/** Throwaway GitHub App credentials in the environment, unless real ones are set. Returns whether it made them. */
export function ensureThrowawayCredentials(env: NodeJS.ProcessEnv): boolean {
  if (env.GITHUB_APP_PRIVATE_KEY) return false;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  Object.assign(env, { GITHUB_APP_ID: '100001', GITHUB_APP_INSTALLATION_ID: '200002', GITHUB_APP_PRIVATE_KEY: privateKey });
  return true;
}
