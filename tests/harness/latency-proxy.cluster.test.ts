// The latency proxy (used by bench/freshness.mts to put the loopback registry "across a network"):
// bytes pass unchanged and in order, both directions are held for the configured latency.
// Runs inside the test netns like every test that opens sockets.
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startLatencyProxy } from './src/index.ts';

const t = suite('latency proxy');

/** An echo server on a free loopback port. */
async function echo(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = net.createServer((s) => s.pipe(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as net.AddressInfo).port, close: () => new Promise((r) => server.close(() => r())) };
}

t('echoes every byte unchanged and in order, each round trip held 2 × one-way', async () => {
  const e = await echo();
  const proxy = await startLatencyProxy({ target: { host: '127.0.0.1', port: e.port }, oneWayMs: 15 });
  try {
    const sock = net.connect({ host: '127.0.0.1', port: proxy.port });
    await new Promise((r) => sock.once('connect', r));
    const sent = Array.from({ length: 20 }, () => randomBytes(1000));
    const received: Buffer[] = [];
    const all = Buffer.concat(sent);
    const got = new Promise<void>((r) => sock.on('data', (d) => (received.push(d), Buffer.concat(received).length >= all.length && r())));
    const t0 = performance.now();
    for (const chunk of sent) sock.write(chunk);
    await got;
    const elapsed = performance.now() - t0;
    assert.ok(Buffer.concat(received).equals(all), 'bytes changed or reordered');
    // A lower bound only (timers never fire early): the delay is applied in both directions.
    assert.ok(elapsed >= 29, `round trip took ${elapsed.toFixed(1)} ms, expected at least 2 × 15 ms`);
    sock.destroy();
  } finally {
    await proxy.close();
    await e.close();
  }
});

t('closing the proxy closes its connections', async () => {
  const e = await echo();
  const proxy = await startLatencyProxy({ target: { host: '127.0.0.1', port: e.port }, oneWayMs: 1 });
  const sock = net.connect({ host: '127.0.0.1', port: proxy.port });
  await new Promise((r) => sock.once('connect', r));
  const closed = new Promise((r) => sock.once('close', r));
  await proxy.close();
  await closed;
  assert.ok(sock.destroyed);
  await e.close();
});

t.run();
