// Shared pieces for the load tests: a tiny node:http server with scripted behaviour, and an
// engine config for a one-operation plan against it (no seeding: fast and deterministic).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EngineConfig } from '../../src/load/engine.js';
import type { Expectation } from '../../src/load/plan.js';

export interface TinyServer {
  url: string;
  count(): number;
  close(): Promise<void>;
}

export async function tinyServer(handler: (n: number, req: IncomingMessage, res: ServerResponse) => void): Promise<TinyServer> {
  let n = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => handler(n++, req, res));
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/cal/`,
    count: () => n,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

export const multistatus = (...hrefs: string[]) =>
  `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:">${hrefs.map((h) => `<d:response><d:href>${h}</d:href><d:propstat><d:prop><d:getetag>"1"</d:getetag></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`).join('')}</d:multistatus>`;

export function config(url: string, over: Partial<EngineConfig> = {}, expect: Expectation = { status: [207], checks: [] }): EngineConfig {
  return {
    plan: {
      baseUrl: url,
      accounts: [{ user: 'u', password: 'p', kind: 'basic' }],
      notes: [],
      ops: [{ label: 'calendar-query', weight: 1, variants: [{ method: 'REPORT', path: new URL(url).pathname, headers: ['depth', '1'], body: '<c:calendar-query xmlns:c="urn:ietf:params:xml:ns:caldav"/>', account: 0, expect }] }],
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
