import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Redactor } from '@stateless-ci/core';
import { mergeCredentials, parseDockerConfig, registryHost } from '../../../packages/verify/src/freshness/docker-config.ts';

const t = suite('docker-config');

t('auth (base64 user:password) and username/password entries; Docker Hub keys map to registry-1.docker.io', () => {
  const r = new Redactor();
  const text = JSON.stringify({ auths: { 'https://index.docker.io/v1/': { auth: Buffer.from('me:s3cret-token').toString('base64') }, 'ghcr.io': { username: 'bot', password: 'ghp_password123' } } });
  const { credentials, problems } = parseDockerConfig(text, r, 'config.json');
  assert.equal(problems, []);
  assert.equal(credentials.get('registry-1.docker.io'), { username: 'me', password: 's3cret-token' });
  assert.equal(credentials.get('ghcr.io'), { username: 'bot', password: 'ghp_password123' });
  assert.is(r.redact('x s3cret-token ghp_password123'), 'x [REDACTED] [REDACTED]');
});

t('bad JSON and entries without a password are problems, never thrown, never echoing values', () => {
  const r = new Redactor();
  assert.equal(parseDockerConfig('{', r, 'f').problems, ['f is not valid JSON']);
  const { problems } = parseDockerConfig(JSON.stringify({ auths: { 'q.io': { username: 'u' } } }), r, 'f');
  assert.equal(problems, ['f: entry for q.io has no username and password']);
});

t('registryHost strips schemes and paths; the first source that knows a host wins', () => {
  assert.is(registryHost('https://Quay.io/v2/'), 'quay.io');
  const a = new Map([['x.io', { username: 'a', password: 'pa' }]]);
  const b = new Map([['x.io', { username: 'b', password: 'pb' }], ['y.io', { username: 'c', password: 'pc' }]]);
  const m = mergeCredentials(a, b);
  assert.is(m.get('x.io')!.username, 'a');
  assert.is(m.get('y.io')!.username, 'c');
});

t.run();
