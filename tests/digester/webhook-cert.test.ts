import { X509Certificate, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CA_NAME, CERT_VALIDITY_MS, ROTATION_LOOKAHEAD_MS, issueWebhookCertificates, secretData, serialNumber, servingDnsName, type KeyPairs } from '@stateless-ci/digester';

const t = suite('webhook certificates the digester rotator accepts (pure, fixed keys)');

// Given fixed key pairs (generated once for the suite) and a fixed clock
const keys: KeyPairs = { ca: generateKeyPairSync('rsa', { modulusLength: 2048 }), serving: generateKeyPairSync('ec', { namedCurve: 'P-256' }) };
const now = new Date('2026-12-05T08:00:00Z');
const certs = issueWebhookCertificates('digester-system', keys, now);
const ca = new X509Certificate(certs['ca.crt']);
const leaf = new X509Certificate(certs['tls.crt']);

t('the CA: self-signed, a CA, named digester-ca of organisation digester, with DNS name digester-ca', () => {
  assert.ok(ca.ca);
  assert.ok(ca.verify(ca.publicKey), 'self-signed');
  assert.is(ca.subject, `O=digester\nCN=${CA_NAME}`);
  assert.is(ca.issuer, ca.subject);
  assert.is(ca.subjectAltName, `DNS:${CA_NAME}`);
  assert.is(ca.checkHost(CA_NAME), CA_NAME, 'cert-controller verifies the CA against its own name');
});

t('the serving certificate: issued by the CA for the Service DNS name, server auth, not a CA', () => {
  const dns = servingDnsName('digester-system');
  assert.is(dns, 'digester-webhook-service.digester-system.svc');
  assert.not.ok(leaf.ca);
  assert.ok(leaf.checkIssued(ca));
  assert.ok(leaf.verify(ca.publicKey));
  assert.is(leaf.checkHost(dns), dns);
  assert.is(leaf.checkHost('digester-webhook-service.other.svc'), undefined);
  assert.equal(leaf.keyUsage, ['1.3.6.1.5.5.7.3.1']);
  assert.is(leaf.publicKey.asymmetricKeyType, 'ec');
});

t('valid from an hour ago for 10 years: past the rotator 90-day lookahead', () => {
  for (const c of [ca, leaf]) {
    assert.is(new Date(c.validFrom).getTime(), now.getTime() - 3600_000);
    assert.is(new Date(c.validTo).getTime(), now.getTime() + CERT_VALIDITY_MS);
    assert.ok(new Date(c.validTo).getTime() > now.getTime() + ROTATION_LOOKAHEAD_MS);
  }
});

t('keys: the CA key is PKCS#1 RSA (the rotator parses it so), each key matches its certificate', () => {
  assert.match(certs['ca.key'], /^-----BEGIN RSA PRIVATE KEY-----\n/);
  assert.ok(ca.checkPrivateKey(createPrivateKey(certs['ca.key'])));
  assert.ok(leaf.checkPrivateKey(createPrivateKey(certs['tls.key'])));
  assert.not.ok(leaf.checkPrivateKey(createPrivateKey(certs['ca.key'])));
});

t('serials are positive, 16 bytes, never zero, different each time', () => {
  const zero = serialNumber(() => Buffer.alloc(16));
  assert.is(zero[0], 1);
  const high = serialNumber(() => Buffer.alloc(16, 0xff));
  assert.is(high[0]! & 0x80, 0);
  assert.is.not(ca.serialNumber, leaf.serialNumber);
  assert.is.not(issueWebhookCertificates('digester-system', keys, now)['ca.crt'], certs['ca.crt']);
});

t('Secret data: the four keys the rotator reads, base64', () => {
  const data = secretData(certs);
  assert.equal(Object.keys(data).sort(), ['ca.crt', 'ca.key', 'tls.crt', 'tls.key']);
  assert.is(Buffer.from(data['ca.crt']!, 'base64').toString(), certs['ca.crt']);
});

t.run();
