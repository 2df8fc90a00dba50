// Shared pieces for the load tests: a tiny node:http server with scripted behaviour, a raw TCP
// server for what node:http will not send (HTTP/1.0, resets mid-response), and an engine config
// for a one-operation plan against them (no seeding: fast and deterministic).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import type { LoadDriverConfig } from '../../src/load/driver.js';
import type { Expectation } from '../../src/load/plan.js';

export interface TinyServer {
  url: string;
  /** Requests received. */
  count(): number;
  /** TCP connections accepted. */
  connections(): number;
  close(): Promise<void>;
}

export async function tinyServer(
  handler: (n: number, req: IncomingMessage, res: ServerResponse) => void,
  keepAliveTimeout = 10_000,
): Promise<TinyServer> {
  let n = 0;
  let connections = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => handler(n++, req, res));
  });
  server.on('connection', () => connections++);
  server.keepAliveTimeout = keepAliveTimeout;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/cal/`,
    count: () => n,
    connections: () => connections,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A TCP server that frames requests (head + Content-Length) and lets `respond` write raw bytes. */
export async function rawServer(respond: (n: number, socket: Socket) => void): Promise<TinyServer> {
  let n = 0;
  let connections = 0;
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = /\r\ncontent-length: *(\d+)/i.exec(buf.subarray(0, end).toString('latin1'));
        const total = end + 4 + (length ? Number(length[1]) : 0);
        if (buf.length < total) return;
        buf = buf.subarray(total);
        if (!socket.destroyed) respond(n++, socket);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/cal/`,
    count: () => n,
    connections: () => connections,
    close: () =>
      new Promise((r) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => r());
      }),
  };
}

export const multistatus = (...hrefs: string[]) =>
  `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:">` +
  hrefs
    .map(
      (h) =>
        `<d:response><d:href>${h}</d:href><d:propstat><d:prop><d:getetag>"1"</d:getetag></d:prop>` +
        `<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`,
    )
    .join('') +
  '</d:multistatus>';

export function config(
  url: string,
  over: Partial<LoadDriverConfig> = {},
  expect: Expectation = { status: [207], checks: [] },
): LoadDriverConfig {
  return {
    plan: {
      baseUrl: url,
      accounts: [{ user: 'u', password: 'p', kind: 'basic' }],
      notes: [],
      ops: [
        {
          label: 'calendar-query',
          weight: 1,
          variants: [
            {
              method: 'REPORT',
              path: new URL(url).pathname,
              headers: ['depth', '1'],
              body: '<c:calendar-query xmlns:c="urn:ietf:params:xml:ns:caldav"/>',
              account: 0,
              expect,
            },
          ],
        },
      ],
    },
    connections: 2,
    connectionBase: 0,
    model: 'closed',
    startAt: Date.now(),
    warmupMs: 0,
    durationMs: 1000,
    maxRequests: 1_000_000,
    timeoutMs: 5000,
    validateFraction: 0,
    ...over,
  };
}
