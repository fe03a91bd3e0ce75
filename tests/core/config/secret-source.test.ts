import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError, Redactor, formatIssue, loadClusterFile, resolveCredentials } from '@stateless-ci/core';

const clusters = path.join(import.meta.dirname, '../../../clusters');
const io = { readFile: async (p: string) => readFileSync(p, 'utf8'), listClusters: async () => [] };
const KEY = `-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\nVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n-----END RSA PRIVATE KEY-----`;

test('reads app credentials from the environment and registers them for redaction', async () => {
  const c = await loadClusterFile('theia-prod', clusters, io);
  const r = new Redactor();
  const creds = await resolveCredentials(c, { env: { GITHUB_APP_ID: '12345', GITHUB_APP_INSTALLATION_ID: '678', GITHUB_APP_PRIVATE_KEY: KEY }, readFile: async () => '' }, r);
  assert.is(creds.kind, 'app');
  assert.ok(r.redact(`boom ${KEY} boom`).includes('[REDACTED]'));
  assert.not.ok(r.redact(`line MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun here`).includes('MIIEow'));
});

test('missing and malformed credentials are all reported, without values', async () => {
  const c = await loadClusterFile('theia-prod', clusters, io);
  try {
    await resolveCredentials(c, { env: { GITHUB_APP_ID: 'not-a-number-secretish', GITHUB_APP_PRIVATE_KEY: 'sekrit-not-a-pem' }, readFile: async () => '' }, new Redactor());
    assert.unreachable();
  } catch (e) {
    assert.instance(e, ConfigError);
    const text = (e as ConfigError).issues.map(formatIssue).join('\n');
    assert.match(text, /arc\.credentials\.appId: environment variable GITHUB_APP_ID is not a numeric app id/);
    assert.match(text, /arc\.credentials\.installationId: environment variable GITHUB_APP_INSTALLATION_ID is not set\. Fix: export GITHUB_APP_INSTALLATION_ID=/);
    assert.match(text, /arc\.credentials\.privateKey: environment variable GITHUB_APP_PRIVATE_KEY is not a PEM private key \(value not shown\)/);
    assert.not.match(text, /sekrit|not-a-number-secretish/);
  }
});

test('token from a file', async () => {
  const c = await loadClusterFile('parma', clusters, io);
  const tokenCluster = { ...c, arc: { ...c.arc, credentials: { kind: 'token' as const, token: { file: '/run/secrets/gh' } } } };
  const creds = await resolveCredentials(tokenCluster, { env: {}, readFile: async (p) => (p === '/run/secrets/gh' ? 'ghp_abcdefghijklmnopqrstuvwxyz0123456789\n' : '') }, new Redactor());
  assert.equal(creds, { kind: 'token', token: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789' });
});

test.run();
