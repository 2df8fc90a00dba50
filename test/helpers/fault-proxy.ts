// A fault-injecting HTTP proxy for reliability tests: sits on 127.0.0.1 between calspec and a real
// server (the reference server, Radicale) and, per request, either forwards it untouched or
// misbehaves in one precise way — reset the connection, stall, truncate, answer garbage, stream a
// huge body, close a keep-alive connection, lie about the Content-Type. Rules match by method and
// path and fire on the Nth match (or with a seeded probability), so a test can aim a fault at one
// request of one scenario and prove the rest of the run is unaffected.
import {
  createServer as createHttpServer,
  request as httpRequest,
  Agent,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { prng } from '../../src/load/ical-gen.js';

export type FaultAction =
  /** Forward untouched. */
  | { kind: 'pass' }
  /** TCP RST on the client connection as soon as the request arrives (nothing forwarded). */
  | { kind: 'reset' }
  /** Forward nothing, answer nothing: hold the connection open until the proxy closes. */
  | { kind: 'stall' }
  /** Forward; send the status line, headers and the first `bytes` of the body, then go silent. */
  | { kind: 'stall-body'; bytes?: number }
  /** Forward; announce Content-Length `claim` (default: twice the real length) but send `bytes`, then close. */
  | { kind: 'truncate'; bytes?: number; claim?: number }
  /** Do not forward: answer this instead. */
  | { kind: 'respond'; status: number; headers?: Record<string, string>; body?: string | Buffer }
  /** Do not forward: stream `bytes` of body (generated on the fly, never buffered), with backpressure. */
  | { kind: 'huge'; bytes: number; status?: number; contentType?: string; chunked?: boolean }
  /** Forward, then close the connection right after the response although it said keep-alive. */
  | { kind: 'close-after' }
  /** Forward with response headers replaced (e.g. a wrong Content-Type or charset). */
  | { kind: 'headers'; set: Record<string, string> }
  /** Write these raw bytes as the whole response (broken framing, not HTTP at all), then close. */
  | { kind: 'raw'; data: string };

export interface FaultRule {
  /** For the log and test messages. */
  name?: string;
  method?: string;
  path?: RegExp;
  /** Fire on the Nth matching request (1-based); with `times`, on N..N+times-1. Default: every match. */
  nth?: number;
  times?: number;
  /** Fire with this probability (seeded PRNG), instead of by count. */
  probability?: number;
  action: FaultAction;
}

export interface ProxyLogEntry {
  method: string;
  path: string;
  /** The rule that fired, or 'pass'. */
  fault: string;
  /** When the request arrived (ms since the epoch). */
  at: number;
}

export interface FaultProxyOptions {
  /** Upstream base, e.g. http://127.0.0.1:5232/ (only origin is used). */
  upstream: string;
  rules?: FaultRule[];
  seed?: number;
  /** Serve HTTPS with this key/cert (PEM) instead of HTTP. */
  tls?: { key: string; cert: string };
}

export interface FaultProxy {
  /** Base URL of the proxy (origin + '/'). */
  url: string;
  port: number;
  rules: FaultRule[];
  log: ProxyLogEntry[];
  /** Body bytes the `huge` action actually managed to write (the client stopped reading at its cap). */
  hugeBytesSent: number;
  /** Requests that arrived and were answered by a fault (not forwarded). */
  faultsFired(): number;
  /** Replace the rules (counters restart). */
  setRules(rules: FaultRule[]): void;
  close(): Promise<void>;
}

// The same seeded generator as the load engine's, so fault placement is reproducible from a seed.
export { prng };

export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  const upstream = new URL(opts.upstream);
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const random = prng(opts.seed ?? 1);
  const sockets = new Set<Socket>();
  let counters = new Map<FaultRule, number>();
  let fired = 0;

  const proxy: FaultProxy = {
    url: '',
    port: 0,
    rules: opts.rules ?? [],
    log: [],
    hugeBytesSent: 0,
    faultsFired: () => fired,
    setRules(rules) {
      proxy.rules = rules;
      counters = new Map();
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const choose = (method: string, path: string): FaultRule | undefined => {
    for (const rule of proxy.rules) {
      if (rule.method && rule.method.toUpperCase() !== method) continue;
      if (rule.path && !rule.path.test(path)) continue;
      const n = (counters.get(rule) ?? 0) + 1;
      counters.set(rule, n);
      if (rule.probability !== undefined) {
        if (random() < rule.probability) return rule;
        continue;
      }
      const first = rule.nth ?? 1;
      const last = rule.nth === undefined && rule.times === undefined ? Infinity : first + (rule.times ?? 1) - 1;
      if (n >= first && n <= last) return rule;
    }
    return undefined;
  };

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const path = req.url ?? '/';
    const rule = choose(method, path);
    const action: FaultAction = rule?.action ?? { kind: 'pass' };
    proxy.log.push({ method, path, fault: rule ? (rule.name ?? action.kind) : 'pass', at: Date.now() });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (action.kind !== 'pass') fired++;
      act(action, method, path, req, res, Buffer.concat(chunks));
    });
    req.on('error', () => undefined);
    res.on('error', () => undefined);
  };

  const act = (
    action: FaultAction,
    method: string,
    path: string,
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
  ) => {
    const socket = req.socket;
    switch (action.kind) {
      case 'reset':
        socket.resetAndDestroy();
        return;
      case 'stall':
        return; // sockets are destroyed by close()
      case 'respond': {
        const payload = action.body === undefined ? Buffer.alloc(0) : Buffer.from(action.body);
        res.writeHead(action.status, { 'content-length': String(payload.length), ...(action.headers ?? {}) });
        res.end(payload);
        return;
      }
      case 'raw':
        socket.end(action.data, () => socket.destroy());
        return;
      case 'huge': {
        const headers: Record<string, string> = {
          'content-type': action.contentType ?? 'application/xml; charset=utf-8',
        };
        if (!action.chunked) headers['content-length'] = String(action.bytes);
        res.writeHead(action.status ?? 207, headers);
        const prefix = Buffer.from('<?xml version="1.0" encoding="utf-8"?>\n<d:multistatus xmlns:d="DAV:">');
        const filler = Buffer.alloc(64 * 1024, '<d:response><d:href>/x</d:href></d:response>\n');
        let sent = 0;
        const pump = () => {
          while (sent < action.bytes) {
            const piece = sent === 0 ? prefix : filler.subarray(0, Math.min(filler.length, action.bytes - sent));
            sent += piece.length;
            proxy.hugeBytesSent += piece.length;
            if (!res.write(piece)) {
              res.once('drain', pump);
              return;
            }
          }
          res.end();
        };
        res.on('close', () => res.removeAllListeners('drain'));
        pump();
        return;
      }
      default:
        forward(action, method, path, req, res, body);
    }
  };

  const forward = (
    action: FaultAction,
    method: string,
    path: string,
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
  ) => {
    const headers = { ...req.headers, host: upstream.host };
    delete headers.connection;
    const up = httpRequest(
      { host: upstream.hostname, port: upstream.port || 80, method, path, headers, agent },
      (upRes) => {
        const status = upRes.statusCode ?? 502;
        const responseHeaders: Record<string, string | string[]> = {};
        for (const [k, v] of Object.entries(upRes.headers))
          if (v !== undefined && k !== 'connection' && k !== 'keep-alive') responseHeaders[k] = v;
        if (action.kind === 'headers') Object.assign(responseHeaders, action.set);
        if (action.kind === 'pass' || action.kind === 'headers' || action.kind === 'close-after') {
          res.writeHead(status, responseHeaders);
          upRes.pipe(res);
          if (action.kind === 'close-after') res.on('finish', () => setImmediate(() => req.socket.destroy()));
          return;
        }
        // stall-body / truncate need the whole upstream body first (small DAV bodies).
        const parts: Buffer[] = [];
        upRes.on('data', (c: Buffer) => parts.push(c));
        upRes.on('end', () => {
          const full = Buffer.concat(parts);
          delete responseHeaders['transfer-encoding'];
          if (action.kind === 'truncate') {
            const send = Math.min(action.bytes ?? Math.floor(full.length / 2), full.length);
            const claim = action.claim ?? Math.max(full.length * 2, send + 100);
            res.writeHead(status, { ...responseHeaders, 'content-length': String(claim) });
            res.write(full.subarray(0, send), () => setTimeout(() => req.socket.destroy(), 20));
            return;
          }
          if (action.kind === 'stall-body') {
            const send = Math.min(action.bytes ?? Math.floor(full.length / 2), full.length);
            res.writeHead(status, { ...responseHeaders, 'content-length': String(Math.max(full.length, send + 1)) });
            res.write(full.subarray(0, send));
          }
        });
      },
    );
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end();
      else req.socket.destroy();
    });
    up.end(body);
  };

  const server: Server = opts.tls
    ? createHttpsServer({ key: opts.tls.key, cert: opts.tls.cert }, handler)
    : createHttpServer(handler);
  server.keepAliveTimeout = 5000;
  server.on(opts.tls ? 'secureConnection' : 'connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // The http server must not wait for stalled requests when closing.
  server.on('clientError', (_e, s) => s.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.port = (server.address() as AddressInfo).port;
  proxy.url = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${proxy.port}/`;
  return proxy;
}

/** A listener that only counts hits: an external entity or redirect target that must stay cold. */
export async function startCanary(): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server = createHttpServer((_req, res) => {
    hits++;
    res.end('<!ENTITY leak "canary">');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/evil`,
    hits: () => hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
