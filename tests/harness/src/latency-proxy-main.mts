// A latency proxy as its own process (so its work does not share the measured client's event loop):
//   node --import tsx latency-proxy-main.mts <target-host:port> <one-way-ms>
// Prints "listening <port>" on stdout, then runs until killed.
import { startLatencyProxy } from './latency-proxy.ts';

const [target, oneWay] = process.argv.slice(2);
const m = /^([^:]+):(\d+)$/.exec(target ?? '');
if (!m || !oneWay || !Number.isFinite(Number(oneWay))) {
  process.stderr.write('usage: latency-proxy-main.mts <target-host:port> <one-way-ms>\n');
  process.exit(2);
}
const proxy = await startLatencyProxy({ target: { host: m[1]!, port: Number(m[2]) }, oneWayMs: Number(oneWay) });
process.stdout.write(`listening ${proxy.port}\n`);
process.on('SIGTERM', () => void proxy.close().then(() => process.exit(0)));
