/**
 * The certificate this tool issues for a fresh install (webhook-cert.ts) is one the real k8s-digester
 * v0.1.16 keeps: its cert-controller checks the Secret at start with Go's x509 (CA name, DNS name,
 * 90-day lookahead, PKCS#1 CA key) and rewrites it when anything is off. The rotator's own log
 * lines go to an unset global logger, so the proof is the Secret: a control certificate made for
 * another namespace is replaced, measured, and ours is still in place after three times as long.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CERT_SECRET, generateKeyPairs, issueWebhookCertificates, secretData } from '@stateless-ci/digester';
import { closeHarness, freshNamespace, openHarness, type Fixture } from '../harness/fixture.ts';
import { startDigester, type DigesterProcess } from '../harness/src/stand-ins/digester-process.ts';
import { skipSuiteIfMissing } from './support/prereqs.ts';

const FILE = 'tests/digester/webhook-cert.cluster.test.ts';

interface Ctx {
  f?: Fixture;
  dir?: string;
  namespaces: string[];
  rotators: DigesterProcess[];
  controlMs?: number;
}

const secretPath = (ns: string) => `/api/v1/namespaces/${ns}/secrets/${CERT_SECRET}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function seededNamespace(c: Ctx, issuedFor: (ns: string) => string): Promise<{ ns: string; data: Record<string, string> }> {
  const h = c.f!.h;
  const ns = await freshNamespace(h, 'cert');
  c.namespaces.push(ns);
  const data = secretData(issueWebhookCertificates(issuedFor(ns), await generateKeyPairs(), new Date()));
  await h.client.create(`/api/v1/namespaces/${ns}/secrets`, { apiVersion: 'v1', kind: 'Secret', metadata: { name: CERT_SECRET, namespace: ns }, data });
  return { ns, data };
}

async function startRotator(c: Ctx, ns: string): Promise<DigesterProcess> {
  const h = c.f!.h;
  const p = await startDigester({ kubeconfig: h.kubeconfig, namespace: ns, dir: join(c.dir!, ns), rotation: true });
  c.rotators.push(p);
  return p;
}

if (!skipSuiteIfMissing(FILE, { binary: true })) {
  const t = suite<Ctx>('digester webhook certificate: the real rotator keeps what we issue', { namespaces: [], rotators: [] });

  t.before(async (c) => {
    c.f = await openHarness();
    c.dir = await mkdtemp(join(tmpdir(), 'webhook-cert-'));
  });

  t.after(async (c) => {
    await Promise.all(c.rotators.map((r) => r.stop()));
    for (const ns of c.namespaces) await c.f?.h.client.remove(`/api/v1/namespaces/${ns}`).catch(() => undefined);
    if (c.dir) await rm(c.dir, { recursive: true, force: true });
    await closeHarness(c.f);
  });

  t('control: a certificate issued for another namespace is replaced by the rotator', async (c) => {
    const { ns, data } = await seededNamespace(c, () => 'somewhere-else');
    const started = Date.now();
    await startRotator(c, ns);
    let live: Record<string, string> | undefined;
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(50)) {
      live = (await c.f!.h.client.get<{ data?: Record<string, string> }>(secretPath(ns))).data;
      if (live?.['tls.crt'] !== data['tls.crt']) break;
    }
    assert.ok(live?.['tls.crt'] && live['tls.crt'] !== data['tls.crt'], 'the rotator rewrote the wrong-namespace certificate');
    c.controlMs = Date.now() - started;
    console.log(`  # the rotator rewrote the control certificate ${c.controlMs} ms after its start began`);
  });

  t('the certificate issued for its namespace is accepted: the Secret is left exactly as written', async (c) => {
    assert.ok(c.controlMs !== undefined, 'the control ran first');
    const { ns, data } = await seededNamespace(c, (n) => n);
    await startRotator(c, ns);
    await sleep(Math.max(3_000, 3 * c.controlMs!));
    const live = (await c.f!.h.client.get<{ data?: Record<string, string> }>(secretPath(ns))).data;
    assert.equal(live, data);
  });

  t.run();
}
