// Connection control (issue #13): --no-keep-alive puts every request on a new connection (counted
// on the server side), keep-alive reuses one, and the connection check switches keep-alive off only
// when reused connections are much slower, within a bounded time.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { DavClient } from '../../src/dav/http.js';
import { checkConnection, connectionPolicy } from '../../src/dav/connection-check.js';

interface Counted {
  url: string;
  sockets: () => number;
  open: () => number;
  stop: () => Promise<void>;
}

/** A tiny HTTP server that counts connections; stallMs delays answers on reused connections. */
async function countingServer(stallMs = 0): Promise<Counted> {
  const all = new Set<Socket>();
  const served = new WeakMap<Socket, number>();
  let sockets = 0;
  const server: Server = createServer((req, res) => {
    const earlier = served.get(req.socket) ?? 0;
    served.set(req.socket, earlier + 1);
    req.resume();
    req.on('end', () => {
      const answer = () => {
        if (res.destroyed) return;
        res.setHeader('content-type', 'application/xml');
        res.end(req.method === 'OPTIONS' ? '' : '<d:multistatus xmlns:d="DAV:"/>');
      };
      if (stallMs && earlier > 0) {
        const timer = setTimeout(answer, stallMs);
        req.socket.once('close', () => clearTimeout(timer));
      } else answer();
    });
  });
  server.on('connection', (s: Socket) => {
    sockets++;
    all.add(s);
    s.on('close', () => all.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/dav/`,
    sockets: () => sockets,
    open: () => all.size,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// Methods outside undici's own payload list (REPORT, MKCALENDAR) are the ones it would close after.
const REQUESTS = [
  { method: 'OPTIONS' },
  { method: 'PROPFIND', body: '<x/>' },
  { method: 'REPORT', body: '<x/>' },
  { method: 'MKCALENDAR', body: '<x/>' },
  { method: 'GET' },
  { method: 'PUT', body: 'BEGIN:VCALENDAR' },
];

async function sendAll(client: DavClient, url: string): Promise<void> {
  for (const r of REQUESTS) {
    // undici returns a connection to its pool one event-loop turn after the response.
    await new Promise((resolve) => setTimeout(resolve, 1));
    const ex = await client.send({ ...r, url });
    assert.equal(ex.response?.status, 200, `${r.method}: ${ex.error ?? ''}`);
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('DAV engine: keep-alive and the connection check', function () {
  this.timeout(20_000);
  let server: Counted;
  afterEach(async () => server?.stop());

  it('reuses one connection by default, REPORT and MKCALENDAR included', async () => {
    server = await countingServer();
    const client = new DavClient();
    await sendAll(client, server.url);
    await client.close();
    assert.equal(server.sockets(), 1);
  });

  it('keepAlive false (--no-keep-alive) sends each request on a new connection and leaves none open', async () => {
    server = await countingServer();
    const client = new DavClient({ keepAlive: false });
    await sendAll(client, server.url);
    await settle();
    assert.equal(server.sockets(), REQUESTS.length);
    assert.equal(server.open(), 0, 'each connection closed after its response');
    await client.close();
  });

  it('--no-keep-alive through the policy: no check requests, keep-alive off, reason recorded', async () => {
    server = await countingServer();
    const client = new DavClient();
    const info = await connectionPolicy(client, server.url, undefined, { keepAlive: false });
    assert.equal(server.sockets(), 0);
    assert.deepEqual(info, { keepAlive: false, decidedBy: 'option', reason: 'keep-alive off (--no-keep-alive)' });
    assert.equal(client.keepAlive, false);
    await client.close();
  });

  it('a healthy server keeps keep-alive on; the check is fast and leaves no idle connection', async () => {
    server = await countingServer();
    const client = new DavClient();
    const t0 = performance.now();
    const info = await checkConnection(client, server.url, undefined);
    const took = performance.now() - t0;
    assert.ok(took < 500, `check took ${took} ms`);
    assert.equal(info.keepAlive, true);
    assert.equal(info.decidedBy, 'check');
    assert.equal(client.keepAlive, true);
    assert.ok(info.freshMedianMs !== undefined && info.reusedMedianMs !== undefined);
    // 3 fresh + 1 opened for reuse; the last reused sample closed it.
    assert.equal(server.sockets(), 4);
    await settle();
    assert.equal(server.open(), 0);
    await client.close();
  });

  it('switches keep-alive off when reused connections stall, giving up quickly', async () => {
    server = await countingServer(5000);
    const client = new DavClient();
    const t0 = performance.now();
    const info = await checkConnection(client, server.url, undefined);
    const took = performance.now() - t0;
    assert.ok(took < 3500, `check took ${took} ms on a 5 s stall`);
    assert.equal(info.keepAlive, false);
    assert.equal(client.keepAlive, false);
    assert.equal(info.reusedTimedOut, 2);
    assert.match(
      info.reason,
      /reused connections gave no answer within [\d.]+ s, fresh ones in \d+ ms: switching keep-alive off/,
    );
    // From now on every request is fast: each on its own connection.
    const before = server.sockets();
    const ex = await client.send({ method: 'REPORT', url: server.url, body: '<x/>' });
    const ex2 = await client.send({ method: 'REPORT', url: server.url, body: '<x/>' });
    assert.ok(ex.timings.totalMs < 1000 && ex2.timings.totalMs < 1000);
    assert.equal(server.sockets() - before, 2);
    await client.close();
  });

  it('measures a moderate stall instead of giving up, and an unreachable server is inconclusive', async () => {
    server = await countingServer(700);
    const client = new DavClient();
    const info = await checkConnection(client, server.url, undefined);
    assert.equal(info.keepAlive, false);
    assert.equal(info.reusedTimedOut, undefined);
    assert.ok(info.reusedMedianMs! >= 700, String(info.reusedMedianMs));
    await client.close();
    const port = Number(new URL(server.url).port);
    await server.stop();
    const lost = new DavClient();
    const none = await checkConnection(lost, `http://127.0.0.1:${port}/`, undefined);
    assert.equal(none.keepAlive, true);
    assert.equal(none.decidedBy, 'none');
    assert.match(none.reason, /inconclusive/);
    await lost.close();
  });
});
