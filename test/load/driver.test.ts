// The engine against scripted loopback servers: the open model charges a stall to every request
// that should have been sent meanwhile (no coordinated omission), the closed model does not and
// says so; sampled validation counts a 207 with wrong hrefs as an error; bounds always hold; and
// its HTTP/1.1 transport copes with servers that close, chunk, reset, stall or drop idle sockets.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoadDriver } from '../../src/load/driver.js';
import { CLOSED_MODEL_WARNING, resultsFromPartials, type ResultsMeta } from '../../src/load/results.js';
import { startLoad } from '../../src/load/workers.js';
import type { LoadResults } from '../../src/model/load.js';
import { config, multistatus, rawServer, tinyServer } from './helpers.js';

function meta(model: 'closed' | 'open'): ResultsMeta {
  return {
    tool: { name: 'calspec', version: 'test' },
    runId: 't',
    startedAt: '',
    finishedAt: '',
    target: { url: 'x' },
    workload: 'w',
    model,
    connections: 1,
    workers: 1,
    durationMs: 1500,
    warmupMs: 0,
    interrupted: false,
    warnings: model === 'closed' ? [CLOSED_MODEL_WARNING] : [],
  };
}

describe('load: engine', function () {
  this.timeout(15_000);

  it('open model: a 200 ms stall on 1% of requests shows in p99; closed model hides it and warns', async () => {
    // Every 100th request sleeps 200 ms: exactly 1% of the requests the server sees.
    const server = await tinyServer((n, _req, res) => {
      const reply = () => res.writeHead(207, { 'content-type': 'application/xml' }).end(multistatus('/cal/a.ics'));
      if (n % 100 === 99) setTimeout(reply, 200);
      else reply();
    });
    try {
      const closed = await new LoadDriver(config(server.url, { connections: 1, durationMs: 1500 })).run();
      const open = await new LoadDriver(
        config(server.url, { connections: 1, durationMs: 1500, model: 'open', rate: 200 }),
      ).run();
      const c: LoadResults = resultsFromPartials(meta('closed'), [closed], []);
      const o: LoadResults = resultsFromPartials(meta('open'), [open], []);
      // Closed: only the stalled request itself is slow (1%), so p99 does not show the stall
      // (the margin is for a busy CI machine).
      assert.ok(c.overall.latencyUs.p99 < 150_000, `closed p99 ${c.overall.latencyUs.p99} µs`);
      assert.ok(c.overall.latencyUs.max >= 190_000, `closed max ${c.overall.latencyUs.max} µs`);
      assert.ok(c.warnings.some((w) => w.includes('coordinated omission')));
      // Open at 200/s: the ~40 slots due during each stall are charged their wait.
      assert.ok(o.overall.latencyUs.p99 >= 150_000, `open p99 ${o.overall.latencyUs.p99} µs`);
      assert.ok(o.overall.latencyUs.p90 >= 10_000, `open p90 ${o.overall.latencyUs.p90} µs`);
      assert.ok(!o.warnings.some((w) => w.includes('coordinated omission')));
      // The open model keeps to its rate (±15%) instead of going as fast as possible.
      assert.ok(Math.abs(o.overall.requests - 300) < 45, `open requests ${o.overall.requests}`);
    } finally {
      await server.close();
    }
  });

  it('sampled validation counts a 207 with the wrong hrefs as a wrong-body error', async () => {
    const server = await tinyServer((n, _req, res) =>
      res.writeHead(207).end(n % 2 ? multistatus('/cal/a.ics') : multistatus('/cal/WRONG.ics')),
    );
    try {
      const expect = {
        status: [207],
        checks: [['multistatus', { hrefs: ['/cal/a.ics'], only: true }]] as [string, unknown][],
      };
      const p = await new LoadDriver(
        config(server.url, { connections: 1, durationMs: 10_000, maxRequests: 200, validateFraction: 1 }, expect),
      ).run();
      const label = p.labels[0]!;
      assert.equal(label.requests, 200);
      assert.equal(label.errorClasses['wrong-body'], 100);
      assert.equal(label.errors, 100);
      assert.equal(label.statusCounts['207'], 200);
      assert.match(p.samples[0]!, /multistatus lists/);
    } finally {
      await server.close();
    }
  });

  it('classifies statuses and transport errors, and enforces --max-requests across workers', async () => {
    const server = await tinyServer((n, _req, res) => {
      if (n % 10 === 0) res.writeHead(503).end();
      else if (n % 10 === 1) res.writeHead(404).end();
      else if (n % 10 === 2) res.destroy();
      else res.writeHead(207).end(multistatus('/cal/a.ics'));
    });
    try {
      const partials = await startLoad(config(server.url, { connections: 4, durationMs: 10_000, maxRequests: 301 }), 2)
        .done;
      assert.equal(partials.length, 2);
      const r = resultsFromPartials(meta('closed'), partials, []);
      assert.equal(r.overall.requests, 301);
      assert.ok(
        r.overall.errorClasses['5xx']! > 0 && r.overall.errorClasses['4xx']! > 0 && r.overall.errorClasses.reset! > 0,
        JSON.stringify(r.overall.errorClasses),
      );
      assert.equal(
        r.overall.errors,
        Object.values(r.overall.errorClasses).reduce((s, v) => s + v, 0),
      );
    } finally {
      await server.close();
    }
  });

  it('stops at the duration and excludes warm-up', async () => {
    const server = await tinyServer((_n, _req, res) => res.writeHead(207).end(multistatus('/cal/a.ics')));
    try {
      const t0 = Date.now();
      const p = await new LoadDriver(config(server.url, { warmupMs: 300, durationMs: 500 })).run();
      const elapsed = Date.now() - t0;
      assert.ok(elapsed < 1500, `took ${elapsed} ms`);
      assert.ok(p.warmupRequests > 0);
      const timeline = p.timeline.reduce((s, t) => s + t.requests, 0);
      assert.equal(timeline, p.labels[0]!.requests);
      assert.equal(server.count(), p.warmupRequests + p.labels[0]!.requests);
    } finally {
      await server.close();
    }
  });

  describe('transport', () => {
    const body = multistatus('/cal/a.ics');
    const expectA = {
      status: [207],
      checks: [['multistatus', { hrefs: ['/cal/a.ics'], only: true }]] as [string, unknown][],
    };

    it('HTTP/1.0 close-delimited responses and Connection: close: a new socket per request, no errors', async () => {
      // Radicale-style: HTTP/1.0, no Content-Length, the body ends when the server closes.
      const radicale = await rawServer((_n, socket) =>
        socket.end(`HTTP/1.0 207 Multi-Status\r\nContent-Type: text/xml\r\n\r\n${body}`),
      );
      // node:http told to close after every response (HTTP/1.1, Content-Length, Connection: close).
      const closing = await tinyServer((_n, _req, res) =>
        res.writeHead(207, { connection: 'close', 'content-length': Buffer.byteLength(body) }).end(body),
      );
      try {
        for (const server of [radicale, closing]) {
          const engine = new LoadDriver(
            config(
              server.url,
              { connections: 2, durationMs: 10_000, maxRequests: 300, validateFraction: 0.5 },
              expectA,
            ),
          );
          const label = (await engine.run()).labels[0]!;
          assert.equal(label.requests, 300);
          assert.equal(label.errors, 0, JSON.stringify(label.errorClasses));
          assert.equal(label.statusCounts['207'], 300);
          assert.equal(server.count(), 300);
          assert.equal(server.connections(), 300);
          assert.equal(engine.reconnects, 298);
        }
      } finally {
        await radicale.close();
        await closing.close();
      }
    });

    it('chunked responses (validated after de-chunking) on kept-alive sockets', async () => {
      const server = await tinyServer((_n, _req, res) => {
        res.writeHead(207, { 'content-type': 'application/xml' }); // no length: node:http chunks
        res.write(body.slice(0, 40));
        setImmediate(() => res.end(body.slice(40)));
      });
      try {
        const engine = new LoadDriver(
          config(server.url, { connections: 2, durationMs: 10_000, maxRequests: 400, validateFraction: 1 }, expectA),
        );
        const label = (await engine.run()).labels[0]!;
        assert.equal(label.requests, 400);
        assert.equal(label.errors, 0, JSON.stringify(label.errorClasses));
        assert.equal(server.count(), 400);
        assert.equal(server.connections(), 2);
        assert.equal(engine.reconnects, 0);
      } finally {
        await server.close();
      }
    });

    it('a close or reset after the request went out, before the response is complete, is a reset', async () => {
      const server = await rawServer((n, socket) => {
        if (n % 4 === 1)
          socket.destroy(); // at once, no byte of an answer, on a busy kept-alive socket
        else if (n % 4 === 3) {
          socket.write(`HTTP/1.1 207 Multi-Status\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 30)}`);
          // Mid-body: half of them RST, half FIN, once the partial response is out.
          setTimeout(() => (n % 8 === 3 ? socket.resetAndDestroy() : socket.destroy()), 5);
        } else socket.write(`HTTP/1.1 207 Multi-Status\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
      });
      try {
        const engine = new LoadDriver(config(server.url, { connections: 1, durationMs: 10_000, maxRequests: 200 }));
        const label = (await engine.run()).labels[0]!;
        assert.equal(label.requests, 200);
        assert.deepEqual(label.errorClasses, { reset: 100 });
        // The status of a head that did arrive is kept, as for any response.
        assert.deepEqual(label.statusCounts, { 207: 150, none: 50 });
        assert.equal(server.count(), 200, 'not retried');
        assert.equal(engine.reconnects, 99);
      } finally {
        await server.close();
      }
    });

    it('a server closing idle keep-alive sockets costs a reconnect, not an error', async () => {
      // Keeps the connection open (HTTP/1.1, a length, no Connection: close), then drops it after
      // 50 ms idle, as a keep-alive timeout does (node:http would wait a second longer).
      const server = await rawServer((_n, socket) => {
        socket.write(`HTTP/1.1 207 Multi-Status\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
        setTimeout(() => socket.end(), 50);
      });
      try {
        // 1 connection at 5/s: 200 ms idle between requests.
        const engine = new LoadDriver(config(server.url, { connections: 1, durationMs: 1200, model: 'open', rate: 5 }));
        const label = (await engine.run()).labels[0]!;
        assert.ok(label.requests >= 5, `${label.requests} requests`);
        assert.equal(label.errors, 0, JSON.stringify(label.errorClasses));
        assert.equal(engine.reconnects, label.requests - 1);
        assert.equal(server.connections(), label.requests);
      } finally {
        await server.close();
      }
    });

    it('a kept-alive socket closed by the server as we reuse it after idling: retried once, no error', async () => {
      // The keep-alive race: the server gives up on a socket idle for >= 1 s just as our request
      // arrives, and closes it without an answer. A fresh socket's request is answered.
      const idleSince = new WeakMap<object, number>();
      const server = await rawServer((_n, socket) => {
        const since = idleSince.get(socket);
        if (since !== undefined && Date.now() - since >= 1000) return void socket.destroy();
        socket.write(`HTTP/1.1 207 Multi-Status\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
        idleSince.set(socket, Date.now());
      });
      try {
        // Slots at 0, 1.25 s and 2.5 s on one connection.
        const engine = new LoadDriver(
          config(server.url, { connections: 1, durationMs: 2600, model: 'open', rate: 0.8 }),
        );
        const label = (await engine.run()).labels[0]!;
        assert.equal(label.requests, 3);
        assert.equal(label.errors, 0, JSON.stringify(label.errorClasses));
        assert.equal(server.count(), 5); // two of them sent twice
        assert.equal(server.connections(), 3);
      } finally {
        await server.close();
      }
    });

    it('times out a request without a complete response, and goes on on a new socket', async () => {
      const server = await rawServer((n, socket) => {
        if (n % 5 !== 4) socket.write(`HTTP/1.1 207 Multi-Status\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
        else socket.write('HTTP/1.1 207 Multi-Status\r\nContent-Length: 100\r\n\r\nstalled'); // never finished
      });
      try {
        const t0 = Date.now();
        const engine = new LoadDriver(
          config(server.url, { connections: 1, durationMs: 10_000, maxRequests: 50, timeoutMs: 200 }),
        );
        const label = (await engine.run()).labels[0]!;
        assert.equal(label.requests, 50);
        assert.deepEqual(label.errorClasses, { timeout: 10 });
        assert.ok(Date.now() - t0 < 5000);
        // A new socket after each timeout but the last (the 50th request), and no more.
        assert.equal(engine.reconnects, 9);
        assert.equal(server.connections(), 10);
      } finally {
        await server.close();
      }
    });

    it('a server that never answers cannot hold the run past its end (grace, then timeout)', async () => {
      const server = await rawServer(() => undefined);
      try {
        const t0 = Date.now();
        const p = await new LoadDriver(
          config(server.url, { connections: 3, durationMs: 300, timeoutMs: 60_000 }),
        ).run();
        const elapsed = Date.now() - t0;
        // Grace is min(timeout, 5 s) after the end.
        assert.ok(elapsed >= 5000 && elapsed < 7000, `took ${elapsed} ms`);
        assert.deepEqual(p.labels[0]!.errorClasses, { timeout: 3 });
      } finally {
        await server.close();
      }
    });

    it('https: verifies the certificate by default; a given CA or insecure lets it through', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'calspec-load-tls-'));
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=localhost',
          '-addext',
          'subjectAltName=DNS:localhost,IP:127.0.0.1',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
      let sni: string | undefined;
      const server = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (req, res) => {
        sni = (req.socket as { servername?: string }).servername;
        req.resume().on('end', () => res.writeHead(207).end(body));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const port = (server.address() as AddressInfo).port;
      try {
        const run = async (url: string, tls?: { ca?: string; insecure?: boolean }) =>
          (
            await new LoadDriver(
              config(url, { connections: 2, durationMs: 10_000, maxRequests: 40, ...(tls ? { tls } : {}) }, expectA),
            ).run()
          ).labels[0]!;
        assert.deepEqual((await run(`https://127.0.0.1:${port}/cal/`)).errorClasses, { other: 40 });
        assert.equal((await run(`https://127.0.0.1:${port}/cal/`, { ca: cert })).errors, 0);
        assert.equal((await run(`https://127.0.0.1:${port}/cal/`, { insecure: true })).errors, 0);
        // By name: SNI carries it and the certificate is checked against it.
        const named = await run(`https://localhost:${port}/cal/`, { ca: cert, insecure: false });
        assert.equal(named.errors, 0, JSON.stringify(named.errorClasses));
        assert.equal(named.requests, 40);
        assert.equal(sni, 'localhost');
      } finally {
        server.closeAllConnections();
        await new Promise((r) => server.close(r));
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('Digest: the 401 challenge is learnt, later requests carry a per-request Authorization', async () => {
      const seen: string[] = [];
      const server = await tinyServer((_n, req, res) => {
        const auth = req.headers.authorization ?? '';
        seen.push(auth);
        if (!auth.startsWith('Digest '))
          res
            .writeHead(401, { 'www-authenticate': 'Digest realm="cal", nonce="abc123", qop="auth", algorithm=MD5' })
            .end();
        else res.writeHead(207).end(body);
      });
      try {
        const c = config(server.url, { connections: 2, durationMs: 10_000, maxRequests: 50 });
        c.plan.accounts = [{ user: 'u', password: 'p', kind: 'digest' }];
        const label = (await new LoadDriver(c).run()).labels[0]!;
        assert.equal(label.requests, 50);
        // One challenge per connection, then answered.
        assert.deepEqual(label.errorClasses, { '4xx': 2 });
        assert.equal(label.statusCounts['207'], 48);
        const digests = seen.filter((a) => a.startsWith('Digest '));
        assert.equal(digests.length, 48);
        assert.match(digests[0]!, /username="u", realm="cal", nonce="abc123", uri="\/cal\/"/);
        assert.equal(new Set(digests).size, 48, 'computed per request: no two alike');
      } finally {
        await server.close();
      }
    });

    it('a refused connection is an error of class other, and the run goes on', async () => {
      const server = await tinyServer(() => undefined);
      const url = server.url;
      await server.close();
      const label = (await new LoadDriver(config(url, { connections: 2, durationMs: 10_000, maxRequests: 20 })).run())
        .labels[0]!;
      assert.equal(label.requests, 20);
      assert.deepEqual(label.errorClasses, { other: 20 });
    });
  });
});
