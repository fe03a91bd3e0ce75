/**
 * Runs the real k8s-digester v0.1.16 binary as a process inside the test netns, serving the webhook
 * over TLS on 127.0.0.1. Why a URL webhook and not the in-cluster Service: kwok pods run no
 * containers and the netns has no pod network, so the API server can only reach a process on
 * loopback, by `clientConfig.url`.
 *
 * Two modes:
 *  - rotation off (`--disable-cert-rotation=true`): we make a certificate for IP:127.0.0.1 with
 *    openssl and hand its PEM to the caller for the webhook's caBundle;
 *  - rotation on: the binary's own cert-controller talks to the API server (KUBECONFIG, POD_NAMESPACE),
 *    creates the Secret and patches caBundle into digester-mutating-webhook-configuration. Its
 *    certificate is for digester-webhook-service.<ns>.svc, which a URL on 127.0.0.1 cannot match,
 *    so this mode proves the rotator/apply coexistence, not admission.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { cacheDir } from '../binaries.ts';
import { promisify } from 'node:util';


export interface DigesterProcess {
  readonly port: number;
  readonly url: string;
  /** base64 PEM of the serving certificate (rotation off only). */
  readonly caBundle?: string;
  readonly logs: string[];
  /** Resolves with "exited (code)" when the process ends. */
  readonly exited: Promise<string>;
  waitForLog(re: RegExp, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

export interface DigesterProcessOptions {
  readonly kubeconfig: string;
  /** POD_NAMESPACE: the digester never mutates this namespace (NoSelfManagement). */
  readonly namespace: string;
  readonly dir: string;
  readonly rotation: boolean;
  readonly extraArgs?: readonly string[];
  /** The k8s-digester binary; default the harness cache's. */
  readonly binary?: string;
}

/** The k8s-digester binary built by build-binaries.sh. */
export function digesterBinary(env: NodeJS.ProcessEnv = process.env): string {
  return env.STATELESS_CI_DIGESTER_BIN ?? join(cacheDir(env), 'bin', 'k8s-digester');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function selfSignedCert(dir: string): Promise<string> {
  await promisify(execFile)('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', join(dir, 'tls.key'), '-out', join(dir, 'tls.crt'), '-days', '1', '-subj', '/CN=digester-e2e',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-addext', 'extendedKeyUsage=serverAuth',
  ]);
  return Buffer.from(await readFile(join(dir, 'tls.crt'))).toString('base64');
}

/** Resolves once a TLS handshake on the port completes (the listener is up); bounded retries. */
async function tlsReachable(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
        s.end();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`k8s-digester did not accept TLS on 127.0.0.1:${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, delay));
  }
}

export async function startDigester(o: DigesterProcessOptions): Promise<DigesterProcess> {
  await mkdir(o.dir, { recursive: true });
  const port = await freePort();
  const caBundle = o.rotation ? undefined : await selfSignedCert(o.dir);
  const args = ['webhook', `--cert-dir=${o.dir}`, `--disable-cert-rotation=${!o.rotation}`, `--port=${port}`, '--health-addr=0', '--metrics-addr=0', '--offline=false', ...(o.extraArgs ?? [])];
  const child: ChildProcess = spawn(o.binary ?? digesterBinary(), args, {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', KUBECONFIG: o.kubeconfig, POD_NAMESPACE: o.namespace, POD_NAME: 'digester-e2e' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const waiters = new Set<() => void>();
  let exited: string | undefined;
  const onData = (b: Buffer) => {
    for (const line of b.toString().split('\n')) if (line.trim()) logs.push(line);
    for (const w of waiters) w();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, sig) => {
      exited = `exited (${code ?? sig})`;
      for (const w of waiters) w();
      resolve();
    }),
  );
  const waitForLog = (re: RegExp, timeoutMs = 20_000) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const hit = logs.find((l) => re.test(l));
        if (hit) return done(() => resolve(hit));
        if (exited) return done(() => reject(new Error(`k8s-digester ${exited} before logging ${re}:\n${logs.slice(-10).join('\n')}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`k8s-digester did not log ${re} within ${timeoutMs} ms:\n${logs.slice(-10).join('\n')}`))), timeoutMs);
      const done = (f: () => void) => {
        clearTimeout(timer);
        waiters.delete(check);
        f();
      };
      waiters.add(check);
      check();
    });
  const stop = async () => {
    if (!exited) child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exit;
    clearTimeout(t);
  };
  try {
    if (o.rotation) {
      // The rotator fills the Secret and patches caBundle, but the serving side then waits for the
      // Secret to appear as files in --cert-dir, which only the kubelet's secret volume does.
      await waitForLog(/"Starting workers","controller":"cert-rotator"/);
    } else {
      await waitForLog(/"starting webhook server"/);
      await tlsReachable(port, 10_000);
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { port, url: `https://127.0.0.1:${port}/v1/mutate`, caBundle, logs, exited: exit.then(() => exited ?? 'exited'), waitForLog, stop };
}
