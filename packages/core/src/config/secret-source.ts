/**
 * Reading secrets named by a cluster file. Each value is registered with the redactor the moment it
 * is read, before anything could print it. Missing or malformed secrets are reported together, as
 * ConfigErrors naming the field and the variable or file (never the value).
 */
import { ConfigError, type ConfigIssue } from '../errors.ts';
import type { Redactor } from '../redact.ts';
import type { ClusterConfig, GitHubCredentials, SecretSource } from './cluster-config.ts';

export interface SecretIO {
  readonly env: Readonly<Record<string, string | undefined>>;
  readFile(path: string): Promise<string>;
}

export type ResolvedCredentials =
  | { readonly kind: 'app'; readonly appId: string; readonly installationId: string; readonly privateKey: string }
  | { readonly kind: 'token'; readonly token: string };

const describe = (s: SecretSource): string => ('env' in s ? `environment variable ${s.env}` : `file ${s.file}`);

async function read(s: SecretSource, io: SecretIO): Promise<string | undefined> {
  if ('env' in s) return io.env[s.env];
  try {
    return await io.readFile(s.file);
  } catch {
    return undefined;
  }
}

export async function resolveCredentials(cluster: ClusterConfig, io: SecretIO, redactor: Redactor): Promise<ResolvedCredentials> {
  const creds: GitHubCredentials = cluster.arc.credentials;
  const issues: ConfigIssue[] = [];
  const base = 'arc.credentials';
  const get = async (field: string, s: SecretSource, validate: (v: string) => string | undefined): Promise<string> => {
    const raw = await read(s, io);
    const v = raw?.trim();
    if (v) redactor.add(v);
    if (!v) {
      issues.push({ file: cluster.file, path: `${base}.${field}`, message: `${describe(s)} is ${raw === undefined ? 'not set' : 'empty'}`, fix: 'env' in s ? `export ${s.env}=... before running` : `create ${s.file}` });
      return '';
    }
    const problem = validate(v);
    if (problem) issues.push({ file: cluster.file, path: `${base}.${field}`, message: `${describe(s)} ${problem} (value not shown)`, fix: `put the right value in the ${describe(s)}` });
    return v;
  };
  let out: ResolvedCredentials;
  if (creds.kind === 'app') {
    const appId = await get('appId', creds.appId, (v) => (/^(\d+|Iv[0-9A-Za-z.]+)$/.test(v) ? undefined : 'is not a numeric app id or a client id'));
    const installationId = await get('installationId', creds.installationId, (v) => (/^\d+$/.test(v) ? undefined : 'is not a numeric installation id'));
    const privateKey = await get('privateKey', creds.privateKey, (v) =>
      /^-----BEGIN (RSA )?PRIVATE KEY-----\s[\s\S]+\s-----END (RSA )?PRIVATE KEY-----$/.test(v) ? undefined : 'is not a PEM private key',
    );
    out = { kind: 'app', appId, installationId, privateKey };
  } else {
    const token = await get('token', creds.token, (v) => (/^(ghp_|github_pat_|ghs_|gho_)[A-Za-z0-9_]{20,}$/.test(v) ? undefined : 'does not look like a GitHub token (ghp_…, github_pat_…)'));
    out = { kind: 'token', token };
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return out;
}
