// The registry client's transport against real local HTTP servers (inside the test netns):
// HEADs reuse one connection (Node's fetch closes after each), redirects are followed and drop
// Authorization across origins, bodies and statuses pass through.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createKeepAliveFetch } from '@stateless-ci/core';

interface Seen {
  method: string;
  url: string;
  authorization?: string;
  body: string;
}

async function server(handler: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void): Promise<{ base: string; connections: () => number; seen: Seen[]; close: () => Promise<void> }> {
  let connections = 0;
  const seen: Seen[] = [];
  const s = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      seen.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization, body });
      handler(req, res, body);
    });
  });
  s.on('connection', () => connections++);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${(s.address() as AddressInfo).port}`,
    connections: () => connections,
    seen,
    close: () => new Promise((r) => (s.closeAllConnections(), s.close(() => r()))),
  };
}

const t = suite('keep-alive fetch');

t('twenty HEADs, one after another, use one connection; the digest header comes through', async () => {
  const srv = await server((_req, res) => {
    res.writeHead(200, { 'Docker-Content-Digest': 'sha256:abc', 'Content-Length': '491', 'Content-Type': 'application/vnd.oci.image.index.v1+json' });
    res.end();
  });
  try {
    const f = createKeepAliveFetch();
    for (let i = 0; i < 20; i++) {
      const r = await f(`${srv.base}/v2/x/manifests/t${i}`, { method: 'HEAD' });
      assert.is(r.status, 200);
      assert.is(r.headers.get('docker-content-digest'), 'sha256:abc');
      assert.is(await r.text(), '');
    }
    assert.is(srv.connections(), 1);
    // What this replaces: Node's fetch opens one connection per HEAD.
    for (let i = 0; i < 3; i++) await fetch(`${srv.base}/v2/x/manifests/t${i}`, { method: 'HEAD' });
    assert.is(srv.connections(), 4);
  } finally {
    await srv.close();
  }
});

t('bodies both ways, status and headers pass through', async () => {
  const srv = await server((req, res, body) => {
    res.writeHead(req.method === 'PUT' ? 201 : 404, { 'Content-Type': 'application/json', 'Retry-After': '3' });
    res.end(JSON.stringify({ got: body }));
  });
  try {
    const f = createKeepAliveFetch();
    const put = await f(`${srv.base}/v2/x/manifests/t`, { method: 'PUT', body: Buffer.from('{"a":1}'), headers: { 'Content-Type': 'application/json' } });
    assert.is(put.status, 201);
    assert.equal(await put.json(), { got: '{"a":1}' });
    const get = await f(`${srv.base}/v2/x/manifests/missing`);
    assert.is(get.status, 404);
    assert.not.ok(get.ok);
    assert.is(get.headers.get('retry-after'), '3');
    // A small body sits in a pooled buffer: arrayBuffer must hold exactly its bytes.
    const bytes = await (await f(`${srv.base}/v2/x/manifests/again`)).arrayBuffer();
    assert.is(Buffer.from(bytes).toString('utf8'), JSON.stringify({ got: '' }));
    assert.equal(srv.seen.map((s) => s.method), ['PUT', 'GET', 'GET']);
  } finally {
    await srv.close();
  }
});

t('redirects are followed; Authorization goes along within the origin only', async () => {
  const storage = await server((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
    res.end('blob-bytes');
  });
  const registry = await server((req, res) => {
    if (req.url === '/same') return void (res.writeHead(307, { Location: '/v2/final' }), res.end());
    if (req.url === '/v2/final') return void (res.writeHead(200), res.end('same-origin'));
    res.writeHead(307, { Location: `${storage.base}/blob` });
    res.end();
  });
  try {
    const f = createKeepAliveFetch();
    const same = await f(`${registry.base}/same`, { headers: { Authorization: 'Bearer t' } });
    assert.is(await same.text(), 'same-origin');
    assert.equal(registry.seen.map((s) => s.authorization), ['Bearer t', 'Bearer t']);
    const cross = await f(`${registry.base}/v2/x/blobs/sha256:1`, { headers: { Authorization: 'Bearer t' } });
    assert.is(await cross.text(), 'blob-bytes');
    assert.is(cross.url, `${storage.base}/blob`);
    assert.is(storage.seen[0]!.authorization, undefined, 'the token must not leave the registry');
  } finally {
    await registry.close();
    await storage.close();
  }
});

t('a refused connection rejects, as fetch does; an aborted request too', async () => {
  const f = createKeepAliveFetch();
  const srv = await server(() => undefined); // never answers
  const base = srv.base;
  await srv.close();
  const refused = await f(`${base}/v2/`).then(() => 'answered', (e: Error) => e.message);
  assert.match(refused, /ECONNREFUSED/);
  const hang = await server(() => undefined);
  try {
    const ac = new AbortController();
    const pending = f(`${hang.base}/v2/`, { signal: ac.signal }).then(() => 'answered', (e: Error) => e.message);
    setTimeout(() => ac.abort(new Error('stopped by the caller')), 20);
    assert.is(await pending, 'stopped by the caller');
  } finally {
    await hang.close();
  }
});

t.run();
