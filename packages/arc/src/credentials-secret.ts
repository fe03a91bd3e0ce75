/**
 * The GitHub credentials Secret `<runnerSet>-github-config` in the runner namespace. The scale-set
 * chart gets only its name (githubConfigSecret), so credentials never pass through helm values or a
 * temporary file: they go from the environment (or a named file) straight into a server-side apply.
 * Every value, and its base64 form, is registered with the redactor the moment it is read.
 */
import { readFile } from 'node:fs/promises';
import { resolveCredentials, type ClusterConfig, type KubeObject, type Redactor, type ResolvedCredentials, type SecretIO, type SecretSource } from '@stateless-ci/core';
import { arcNames } from './names.ts';

/** The keys the ARC controller reads from a githubConfigSecret. */
export const APP_KEYS = ['github_app_id', 'github_app_installation_id', 'github_app_private_key'] as const;
export const TOKEN_KEYS = ['github_token'] as const;

export const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

export function credentialsData(creds: ResolvedCredentials): Record<string, string> {
  return creds.kind === 'app'
    ? { github_app_id: creds.appId, github_app_installation_id: creds.installationId, github_app_private_key: creds.privateKey }
    : { github_token: creds.token };
}

function secretShape(c: ClusterConfig, data: Record<string, string>): KubeObject {
  const n = arcNames(c);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: n.credentialsSecret,
      namespace: n.runnersNamespace,
      labels: { 'app.kubernetes.io/managed-by': 'stateless-ci', 'app.kubernetes.io/part-of': 'arc', 'actions.github.com/scale-set-name': n.scaleSet },
    },
    type: 'Opaque',
    data,
  };
}

/** The Secret to apply. Hold it in memory only; never log or write it. */
export function credentialsSecret(c: ClusterConfig, creds: ResolvedCredentials): KubeObject {
  return secretShape(c, Object.fromEntries(Object.entries(credentialsData(creds)).map(([k, v]) => [k, b64(v)])));
}

const describe = (s: SecretSource): string => ('env' in s ? `env ${s.env}` : `file ${s.file}`);

/** What `render` shows: the Secret's shape with each value replaced by where it will come from. */
export function credentialsSecretPlaceholder(c: ClusterConfig): KubeObject {
  const cr = c.arc.credentials;
  const from =
    cr.kind === 'app'
      ? { github_app_id: describe(cr.appId), github_app_installation_id: describe(cr.installationId), github_app_private_key: describe(cr.privateKey) }
      : { github_token: describe(cr.token) };
  const obj = secretShape(c, {});
  delete obj.data;
  return { ...obj, stringData: Object.fromEntries(Object.entries(from).map(([k, v]) => [k, `<read at apply time from ${v}>`])) };
}

/** Registers the base64 forms too: a Secret's `data` would otherwise slip past the redactor. */
export function registerEncodings(redactor: Redactor, creds: ResolvedCredentials): void {
  for (const v of Object.values(credentialsData(creds))) {
    redactor.add(v);
    redactor.add(b64(v));
  }
}

export const nodeSecretIO = (env: Readonly<Record<string, string | undefined>>): SecretIO => ({ env, readFile: (p) => readFile(p, 'utf8') });

/** Reads and validates the credentials; a ConfigError (values never shown) stops the deploy before any change. */
export async function loadCredentials(c: ClusterConfig, io: SecretIO, redactor: Redactor): Promise<ResolvedCredentials> {
  const creds = await resolveCredentials(c, io, redactor);
  registerEncodings(redactor, creds);
  return creds;
}

export type SecretState = 'absent' | 'same' | 'different';

/** Compares a live Secret with the desired one in memory; only the verdict leaves this function. */
export function compareSecret(live: KubeObject | undefined, desired: KubeObject): SecretState {
  if (!live) return 'absent';
  const a = (live.data ?? {}) as Record<string, string>;
  const b = (desired.data ?? {}) as Record<string, string>;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (a[k] !== b[k]) return 'different';
  return 'same';
}
