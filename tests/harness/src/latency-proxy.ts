/**
 * A TCP proxy on loopback that holds every chunk for a fixed one-way latency in each direction,
 * so a loopback service answers like one across a network. (This kernel has no netem qdisc.)
 * Bytes and their order are unchanged; each connection gets its own upstream connection.
 */
import net from 'node:net';

export interface LatencyProxyOptions {
  readonly target: { readonly host: string; readonly port: number };
  /** Added to each direction: a request/response round trip gains 2 × oneWayMs. */
  readonly oneWayMs: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default 0 (any free port) */
  readonly port?: number;
}

export interface LatencyProxy {
  readonly port: number;
  close(): Promise<void>;
}

/** Forwards `from` to `to`, each chunk (and the end) `ms` later, in order. */
function delayed(from: net.Socket, to: net.Socket, ms: number): void {
  from.on('data', (chunk) => void setTimeout(() => to.destroyed || to.write(chunk), ms));
  from.on('end', () => void setTimeout(() => to.end(), ms));
  from.on('error', () => to.destroy());
  from.on('close', () => setTimeout(() => to.destroy(), ms + 1));
}

export function startLatencyProxy(o: LatencyProxyOptions): Promise<LatencyProxy> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    client.setNoDelay(true);
    const upstream = net.connect({ host: o.target.host, port: o.target.port });
    upstream.setNoDelay(true);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    delayed(client, upstream, o.oneWayMs);
    delayed(upstream, client, o.oneWayMs);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
