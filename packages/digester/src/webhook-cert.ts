/**
 * The webhook's certificates, issued by this tool on a fresh install so the digester serves from
 * its first second. Upstream leaves the Secret empty: its cert rotator (open-policy-agent
 * cert-controller v0.12.0 inside k8s-digester) generates a CA and a serving certificate at start,
 * stores them in the Secret, and then waits for the kubelet to project the new Secret into its
 * `/certs` volume before it registers `/v1/mutate`. The kubelet refreshes Secret volumes on its
 * sync period (a minute by default) and the rotator re-checks with a 1, 2, 4 … s backoff, so on a
 * real cluster the webhook answered 1–2 minutes after an install, and pods created meanwhile (ARC's,
 * right after) were admitted unpinned (failure policy Ignore). A Secret that already holds a valid
 * pair when the pod starts is mounted with the pod; the rotator finds it valid ("no cert refresh
 * needed") and keeps it, and rotates it later as it always does.
 *
 * What the rotator accepts (rotator.go `validCACert`, `validServerCert`, `buildArtifactsFromSecret`):
 * `ca.crt`/`ca.key`/`tls.crt`/`tls.key`; the CA key as PKCS#1 RSA ("RSA PRIVATE KEY"); the CA
 * verifying for DNS name `digester-ca` and the serving certificate for
 * `digester-webhook-service.<namespace>.svc` (server auth), both valid 90 days from now. Like the
 * rotator: 10 years, starting an hour ago, CA "digester-ca" of organisation "digester". The serving
 * key is ECDSA P-256 (the rotator's own is RSA; Go's TLS takes either), so one RSA key is generated
 * per install instead of two.
 *
 * The private keys exist only in memory and in the Secret: never logged, never on disk.
 */
import { createHash, generateKeyPair, randomBytes, sign, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { bitString, boolean, explicit, implicitPrimitive, namedBits, nullValue, octetString, oid, pem, sequence, set, smallInteger, time, unsignedInteger, utf8String } from './der.ts';
import { SERVICE } from './names.ts';

/** cert-controller's CAName / CAOrganization in k8s-digester v0.1.16 (cmd/webhook/webhook.go). */
export const CA_NAME = 'digester-ca';
export const CA_ORGANIZATION = 'digester';
/** cert-controller's defaults: certificates last 10 years; rotated within 90 days of expiry. */
export const CERT_VALIDITY_MS = 10 * 365 * 24 * 3600 * 1000;
export const ROTATION_LOOKAHEAD_MS = 90 * 24 * 3600 * 1000;

/** The Secret's data keys, as the rotator reads them. */
export interface WebhookCertificates {
  readonly 'ca.crt': string;
  readonly 'ca.key': string;
  readonly 'tls.crt': string;
  readonly 'tls.key': string;
}

/** The DNS name the API server dials: the webhook Service in the digester's namespace. Pure. */
export const servingDnsName = (namespace: string): string => `${SERVICE}.${namespace}.svc`;

const OID = {
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  serverAuth: '1.3.6.1.5.5.7.3.1',
} as const;

/** KeyUsage bit numbers (RFC 5280 4.2.1.3). */
const KEY_USAGE = { digitalSignature: 0, keyEncipherment: 2, keyCertSign: 5 } as const;

const name = (parts: readonly (readonly [string, string])[]) => sequence(...parts.map(([type, value]) => set(sequence(oid(type), utf8String(value)))));
const extension = (id: string, critical: boolean, value: Uint8Array) => sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));
const keyId = (spki: Buffer) => createHash('sha1').update(spki).digest();

export interface CertificateFields {
  /** Positive serial, big-endian bytes. */
  readonly serial: Uint8Array;
  readonly issuer: readonly (readonly [string, string])[];
  readonly subject: readonly (readonly [string, string])[];
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** The subject's public key, SubjectPublicKeyInfo DER. */
  readonly spki: Buffer;
  /** The issuer's public key, SubjectPublicKeyInfo DER (for the authority key identifier). */
  readonly issuerSpki: Buffer;
  readonly isCa: boolean;
  readonly dnsNames: readonly string[];
}

/** The TBSCertificate (what the issuer signs) for these fields, signed with SHA-256 and RSA. Pure. */
export function tbsCertificate(f: CertificateFields): Buffer {
  // As the rotator's CA; the serving key is ECDSA, which signs and never enciphers.
  const usage = f.isCa ? [KEY_USAGE.digitalSignature, KEY_USAGE.keyEncipherment, KEY_USAGE.keyCertSign] : [KEY_USAGE.digitalSignature];
  const extensions = [
    extension(OID.keyUsage, true, namedBits(usage)),
    ...(f.isCa ? [] : [extension(OID.extKeyUsage, false, sequence(oid(OID.serverAuth)))]),
    extension(OID.basicConstraints, true, f.isCa ? sequence(boolean(true)) : sequence()),
    extension(OID.subjectKeyIdentifier, false, octetString(keyId(f.spki))),
    extension(OID.authorityKeyIdentifier, false, sequence(implicitPrimitive(0, keyId(f.issuerSpki)))),
    extension(OID.subjectAltName, false, sequence(...f.dnsNames.map((d) => implicitPrimitive(2, Buffer.from(d, 'ascii'))))),
  ];
  return sequence(
    explicit(0, smallInteger(2)), // v3
    unsignedInteger(f.serial),
    sequence(oid(OID.sha256WithRSA), nullValue()),
    name(f.issuer),
    sequence(time(f.notBefore), time(f.notAfter)),
    name(f.subject),
    f.spki,
    explicit(3, sequence(...extensions)),
  );
}

/** Signs the TBSCertificate with the issuer's RSA key: the certificate, DER. */
export function signCertificate(tbs: Buffer, issuerKey: KeyObject): Buffer {
  return sequence(tbs, sequence(oid(OID.sha256WithRSA), nullValue()), bitString(sign('sha256', tbs, issuerKey)));
}

/** A positive 128-bit serial (top bit clear, never zero). */
export function serialNumber(random: (n: number) => Buffer = randomBytes): Buffer {
  const b = random(16);
  b[0] = (b[0]! & 0x7f) | 0x01;
  return b;
}

export interface KeyPairs {
  readonly ca: { readonly publicKey: KeyObject; readonly privateKey: KeyObject };
  readonly serving: { readonly publicKey: KeyObject; readonly privateKey: KeyObject };
}

/** The two key pairs: RSA-2048 for the CA (the rotator parses it as PKCS#1), P-256 for serving. Off the main thread. */
export async function generateKeyPairs(): Promise<KeyPairs> {
  const gen = promisify(generateKeyPair);
  const [ca, serving] = await Promise.all([gen('rsa', { modulusLength: 2048 }), gen('ec', { namedCurve: 'P-256' })]);
  return { ca, serving };
}

/** The CA and serving certificates for the digester in `namespace`, from these keys. Pure but for the serials' randomness. */
export function issueWebhookCertificates(namespace: string, keys: KeyPairs, now: Date, random?: (n: number) => Buffer): WebhookCertificates {
  const notBefore = new Date(now.getTime() - 3600 * 1000);
  const notAfter = new Date(now.getTime() + CERT_VALIDITY_MS);
  const caSpki = keys.ca.publicKey.export({ type: 'spki', format: 'der' });
  const caSubject = [[OID.organization, CA_ORGANIZATION], [OID.commonName, CA_NAME]] as const;
  const caDer = signCertificate(
    tbsCertificate({ serial: serialNumber(random), issuer: caSubject, subject: caSubject, notBefore, notAfter, spki: caSpki, issuerSpki: caSpki, isCa: true, dnsNames: [CA_NAME] }),
    keys.ca.privateKey,
  );
  const dns = servingDnsName(namespace);
  const servingDer = signCertificate(
    tbsCertificate({
      serial: serialNumber(random),
      issuer: caSubject,
      subject: [[OID.commonName, dns]],
      notBefore,
      notAfter,
      spki: keys.serving.publicKey.export({ type: 'spki', format: 'der' }),
      issuerSpki: caSpki,
      isCa: false,
      dnsNames: [dns],
    }),
    keys.ca.privateKey,
  );
  return {
    'ca.crt': pem('CERTIFICATE', caDer),
    'ca.key': String(keys.ca.privateKey.export({ type: 'pkcs1', format: 'pem' })),
    'tls.crt': pem('CERTIFICATE', servingDer),
    'tls.key': String(keys.serving.privateKey.export({ type: 'pkcs8', format: 'pem' })),
  };
}

/** The Secret's `data` (base64 values) for these certificates. Pure. */
export function secretData(c: WebhookCertificates): Record<string, string> {
  return Object.fromEntries(Object.entries(c).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')]));
}
