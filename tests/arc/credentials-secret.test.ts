import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError, Redactor, formatIssue, stringifyManifests } from '@stateless-ci/core';
import { b64, compareSecret, credentialsSecret, credentialsSecretPlaceholder, loadCredentials } from '@stateless-ci/arc';
import { FAKE_APP_ENV, FAKE_KEY, FAKE_TOKEN, loadTestCluster } from './fixtures.ts';

const t = suite('arc credentials Secret');
const io = (env: Record<string, string | undefined>, files: Record<string, string> = {}) => ({
  env,
  readFile: async (p: string) => {
    if (!(p in files)) throw new Error(`ENOENT ${p}`);
    return files[p]!;
  },
});

t('GitHub App credentials become the keys the controller reads, in the runner namespace', async () => {
  const c = await loadTestCluster('theia-prod');
  const r = new Redactor();
  const s = credentialsSecret(c, await loadCredentials(c, io(FAKE_APP_ENV), r));
  assert.is(s.metadata.name, 'arc-runner-set-stateless-github-config');
  assert.is(s.metadata.namespace, 'arc-runners');
  const data = s.data as Record<string, string>;
  assert.equal(Object.keys(data).sort(), ['github_app_id', 'github_app_installation_id', 'github_app_private_key']);
  assert.is(Buffer.from(data.github_app_private_key!, 'base64').toString(), FAKE_KEY);
  assert.is(Buffer.from(data.github_app_id!, 'base64').toString(), '918273');
});

t('a token from a file', async () => {
  const c0 = await loadTestCluster('parma');
  const c = { ...c0, arc: { ...c0.arc, credentials: { kind: 'token' as const, token: { file: '/run/secrets/gh' } } } };
  const s = credentialsSecret(c, await loadCredentials(c, io({}, { '/run/secrets/gh': `${FAKE_TOKEN}\n` }), new Redactor()));
  assert.equal(s.data, { github_token: b64(FAKE_TOKEN) });
});

t('the values and their base64 forms are redacted, including the Secret object as YAML', async () => {
  const c = await loadTestCluster('theia-prod');
  const r = new Redactor();
  const s = credentialsSecret(c, await loadCredentials(c, io(FAKE_APP_ENV), r));
  const text = r.redact(`${stringifyManifests([s])}\n${JSON.stringify(s)}\nerror: ${FAKE_KEY} ${FAKE_APP_ENV.GITHUB_APP_INSTALLATION_ID}`);
  for (const v of Object.values(FAKE_APP_ENV)) {
    assert.not.ok(text.includes(v), 'plain value leaked');
    assert.not.ok(text.includes(b64(v)), 'base64 value leaked');
  }
  assert.not.match(text, /MIIEpAIBAAKCAQEA/);
});

t('missing and malformed credentials stop with a ConfigError that names sources, never values', async () => {
  const c = await loadTestCluster('theia-prod');
  const err = await loadCredentials(c, io({ GITHUB_APP_ID: 'app-918273-oops', GITHUB_APP_PRIVATE_KEY: 'not a pem but secret-ish' }), new Redactor()).catch((e: unknown) => e);
  assert.instance(err, ConfigError);
  const text = (err as ConfigError).issues.map(formatIssue).join('\n');
  assert.match(text, /GITHUB_APP_INSTALLATION_ID is not set/);
  assert.match(text, /GITHUB_APP_ID is not a numeric app id/);
  assert.match(text, /GITHUB_APP_PRIVATE_KEY is not a PEM private key/);
  assert.not.match(text, /app-918273-oops|secret-ish/);
});

t('render shows where each value comes from, not the value', async () => {
  const c = await loadTestCluster('theia-prod');
  const p = credentialsSecretPlaceholder(c);
  assert.is(p.data, undefined);
  assert.equal(p.stringData, {
    github_app_id: '<read at apply time from env GITHUB_APP_ID>',
    github_app_installation_id: '<read at apply time from env GITHUB_APP_INSTALLATION_ID>',
    github_app_private_key: '<read at apply time from env GITHUB_APP_PRIVATE_KEY>',
  });
});

t('live Secret comparison: absent, same, different', async () => {
  const c = await loadTestCluster('theia-prod');
  const s = credentialsSecret(c, await loadCredentials(c, io(FAKE_APP_ENV), new Redactor()));
  assert.is(compareSecret(undefined, s), 'absent');
  assert.is(compareSecret({ ...s, metadata: { ...s.metadata, resourceVersion: '7' } }, s), 'same');
  assert.is(compareSecret({ ...s, data: { ...(s.data as object), github_app_id: b64('1') } }, s), 'different');
  assert.is(compareSecret({ ...s, data: { github_token: b64(FAKE_TOKEN) } }, s), 'different');
});

t.run();
