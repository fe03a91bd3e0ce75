/**
 * Pure: registry credentials from a Docker config file (`~/.docker/config.json`) or a
 * `kubernetes.io/dockerconfigjson` Secret's `.dockerconfigjson`. Both use `auths` keyed by host
 * (sometimes a URL such as https://index.docker.io/v1/), with `auth` = base64(user:password) or
 * `username`/`password`. Credential helpers (`credsStore`, `credHelpers`) are not run. Every value
 * read is registered with the redactor before it is returned.
 */
import type { RegistryCredentials, Redactor } from '@stateless-ci/core';

export type CredentialMap = Map<string, RegistryCredentials>;

interface DockerConfig {
  readonly auths?: Readonly<Record<string, { readonly auth?: string; readonly username?: string; readonly password?: string; readonly identitytoken?: string }>>;
}

/** The host the registry client talks to, from an `auths` key. */
export function registryHost(key: string): string {
  const host = key.replace(/^https?:\/\//, '').split('/')[0]!.toLowerCase();
  return host === 'docker.io' || host === 'index.docker.io' ? 'registry-1.docker.io' : host;
}

export function parseDockerConfig(text: string, redactor: Redactor, source: string): { credentials: CredentialMap; problems: string[] } {
  const credentials: CredentialMap = new Map();
  const problems: string[] = [];
  let parsed: DockerConfig;
  try {
    parsed = JSON.parse(text) as DockerConfig;
  } catch {
    return { credentials, problems: [`${source} is not valid JSON`] };
  }
  for (const [key, entry] of Object.entries(parsed.auths ?? {})) {
    let username = entry.username;
    let password = entry.password ?? entry.identitytoken;
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) {
        username = decoded.slice(0, colon);
        password = decoded.slice(colon + 1);
      }
    }
    if (password) redactor.add(password);
    if (entry.auth) redactor.add(entry.auth);
    if (!username || !password) {
      problems.push(`${source}: entry for ${registryHost(key)} has no username and password`);
      continue;
    }
    credentials.set(registryHost(key), { username, password });
  }
  return { credentials, problems };
}

/** Later maps do not override earlier ones: the first source that knows a host wins. */
export function mergeCredentials(...maps: readonly CredentialMap[]): CredentialMap {
  const out: CredentialMap = new Map();
  for (const m of maps) for (const [h, c] of m) if (!out.has(h)) out.set(h, c);
  return out;
}
