// node:http front end: body limits, URL decoding, well-known redirect, authentication, method
// dispatch and the last-resort error handler (a handler bug answers 500, never kills the server).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { XmlParseError } from '../xml/index.js';
import { textReply, type Ctx, type Reply, type ServerState } from './context.js';
import { handleAcl } from './acl-method.js';
import { handleCopyMove } from './copymove.js';
import { MAX_BODY } from './limits.js';
import { handleLock, handleUnlock } from './lock-method.js';
import { handleMkcalendar, handleMkcol } from './mkcalendar.js';
import { handleDelete, handleGet, handlePut } from './objects.js';
import { handlePost } from './outbox.js';
import { handlePropfind } from './propfind.js';
import { handleProppatch } from './proppatch.js';
import { handleReport } from './report.js';
import { handleTzdist } from './tzdist.js';

export const REALM = 'calspec-reference';

/** keepalive-stall: how long a request on a reused connection waits (CALSPEC_KEEPALIVE_STALL_MS, default 4 s). */
export function stallMs(): number {
  const v = Number(process.env.CALSPEC_KEEPALIVE_STALL_MS);
  return Number.isFinite(v) && v >= 0 ? v : 4000;
}

const HANDLERS: Record<string, (ctx: Ctx) => Reply> = {
  GET: handleGet,
  HEAD: handleGet,
  PUT: handlePut,
  DELETE: handleDelete,
  PROPFIND: handlePropfind,
  PROPPATCH: handleProppatch,
  MKCOL: handleMkcol,
  MKCALENDAR: handleMkcalendar,
  COPY: handleCopyMove,
  MOVE: handleCopyMove,
  REPORT: handleReport,
  LOCK: handleLock,
  UNLOCK: handleUnlock,
  ACL: handleAcl,
  POST: handlePost,
};
/** Methods we know but do not implement. */
const KNOWN_UNSUPPORTED = ['SEARCH', 'PATCH', 'BIND', 'UNBIND', 'REBIND'];

/** Fault hooks: methods a smaller server does not offer (no-lock, no-copy, no-move), or refuses despite its claim. */
function withheld(state: ServerState, method: string): number | undefined {
  const { faults } = state;
  if ((method === 'LOCK' || method === 'UNLOCK') && faults.has('no-lock')) return 405;
  if (method === 'LOCK' && faults.has('lock-refused')) return 405;
  if (method === 'COPY' && faults.has('no-copy')) return 405;
  if (method === 'MOVE' && faults.has('no-move')) return 501;
  return undefined;
}

/** lock-refused keeps LOCK listed: the point of that fault is a claim the server does not keep. */
function allowHeader(state: ServerState): string {
  return ['OPTIONS', ...Object.keys(HANDLERS)]
    .filter((m) => m !== 'MKCALENDAR' || state.layout.mkcalendarAllowed)
    .filter((m) => !withheld(state, m) || (m === 'LOCK' && !state.faults.has('no-lock')))
    .join(', ');
}

function davHeader(state: ServerState): string {
  // Fault hook: the one token that tells clients this is a CalDAV server is missing.
  const caldav = state.faults.has('dav-header-no-calendar-access') ? [] : ['calendar-access'];
  // calendar-no-timezone: RFC 7809 §3.1.1, objects may name the built-in zones without a VTIMEZONE.
  // Fault hook (no-lock): a server without locking does not claim class 2 (RFC 4918 §18.2).
  const class2 = state.faults.has('no-lock') ? [] : ['2'];
  return [
    '1',
    ...class2,
    '3',
    'access-control',
    ...caldav,
    'calendar-auto-schedule',
    'calendar-no-timezone',
    // RFC 5689 §3.1: the token promises extended MKCOL, which a layout without MKCALENDAR refuses.
    ...(state.layout.mkcalendarAllowed ? ['extended-mkcol'] : []),
  ].join(', ');
}

/** The authenticated user, or undefined. Basic for plain/nextcloud, Bearer (token = password) for google. */
function authenticate(state: ServerState, authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const [scheme, value = ''] = authorization.trim().split(/\s+/, 2);
  if (state.layout.auth === 'bearer') {
    if (scheme?.toLowerCase() !== 'bearer') return undefined;
    for (const [user, password] of state.users) if (password === value) return user;
    return undefined;
  }
  if (scheme?.toLowerCase() !== 'basic') return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const user = decoded.slice(0, colon);
  return state.users.get(user) === decoded.slice(colon + 1) ? user : undefined;
}

function route(state: ServerState, req: IncomingMessage, path: string, body: string): Reply {
  const method = (req.method ?? 'GET').toUpperCase();
  if (path === '/.well-known/caldav' || path === '/.well-known/caldav/') {
    return { status: 301, headers: { Location: state.layout.base } };
  }
  // The RFC 7808 service behind CALDAV:timezone-service-set is public, like the well-known redirect.
  const tzdist = handleTzdist(method, path);
  if (tzdist) return tzdist;
  if (method === 'OPTIONS') {
    return { status: 200, headers: { DAV: davHeader(state), Allow: allowHeader(state), 'Content-Length': '0' } };
  }
  const user = authenticate(state, req.headers.authorization);
  if (!user) {
    const challenge = state.layout.auth === 'bearer' ? `Bearer realm="${REALM}"` : `Basic realm="${REALM}"`;
    return textReply(401, 'Unauthorized', { 'WWW-Authenticate': challenge });
  }
  const refused = withheld(state, method);
  if (refused === 405) return textReply(405, `${method} is not supported`, { Allow: allowHeader(state) });
  if (refused) return textReply(refused, `${method} is not implemented`);
  const handler = HANDLERS[method];
  if (!handler) {
    return KNOWN_UNSUPPORTED.includes(method)
      ? textReply(405, `${method} is not supported`, { Allow: allowHeader(state) })
      : textReply(501, `${method} is not implemented`);
  }
  const ctx: Ctx = { state, method, path, user, headers: req.headers, body };
  try {
    return handler(ctx);
  } catch (error) {
    if (error instanceof XmlParseError) return textReply(400, `Malformed XML: ${error.message}`);
    // Pathologically deep XML exhausts the stack: the request is bad, the server is fine.
    // (src/xml passes fast-xml-parser's nesting limit through as a plain Error.)
    if (error instanceof Error && /call stack|nested tags/i.test(error.message))
      return textReply(400, 'XML nested too deeply');
    throw error;
  }
}

function send(req: IncomingMessage, res: ServerResponse, reply: Reply): void {
  const body = Buffer.from(reply.body ?? '', 'utf8');
  res.statusCode = reply.status;
  for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
  // RFC 7230 §3.3.2: no Content-Length on 204; on 304 it would have to describe the 200 body.
  const bodiless = reply.status === 304 || reply.status === 204;
  if (!bodiless && !res.hasHeader('Content-Length')) res.setHeader('Content-Length', String(body.length));
  if (req.method === 'HEAD' || bodiless) res.end();
  else res.end(body);
}

function decodePath(rawUrl: string): string | undefined {
  try {
    const path = decodeURIComponent(new URL(rawUrl, 'http://calspec.invalid').pathname);
    // Refuse dot segments and NULs outright rather than normalising them.
    if (path.split('/').some((s) => s === '..' || s === '.') || path.includes('\0')) return undefined;
    return path.replace(/\/{2,}/g, '/');
  } catch {
    return undefined;
  }
}

/** Requests served per connection, for keepalive-stall (weak: a closed socket is forgotten). */
const served = new WeakMap<object, number>();

export function createRequestListener(
  state: ServerState,
  onRequest: () => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    onRequest();
    const fail = (error: unknown) => {
      if (!state.quiet)
        console.error(`calspec-reference: ${req.method} ${req.url}: ${(error as Error)?.stack ?? String(error)}`);
      if (!res.headersSent)
        send(
          req,
          res,
          textReply(500, `Internal Server Error: ${String((error as Error)?.message ?? error).split('\n')[0]}`),
        );
      else res.destroy();
    };
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY) {
      res.setHeader('Connection', 'close');
      send(req, res, textReply(413, `Request body larger than ${MAX_BODY} octets`));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY && !refused) {
        refused = true;
        res.setHeader('Connection', 'close');
        send(req, res, textReply(413, `Request body larger than ${MAX_BODY} octets`));
      }
      if (!refused) chunks.push(chunk);
    });
    req.on('error', fail);
    // Requests this connection carried before this one: the keepalive-stall fault hook.
    const earlier = served.get(req.socket) ?? 0;
    served.set(req.socket, earlier + 1);
    const stall = earlier > 0 && state.faults.has('keepalive-stall') ? stallMs() : 0;
    req.on('end', () => {
      if (refused) return;
      if (stall) {
        // Fault hook: a server that answers on a reused connection only after a delay (seen in the
        // wild). The socket's close (client gave up, server stops) drops the pending answer.
        const drop = () => clearTimeout(timer);
        const timer = setTimeout(() => {
          req.socket.off('close', drop);
          answer();
        }, stall);
        req.socket.once('close', drop);
      } else answer();
    });
    const answer = () => {
      if (res.destroyed) return;
      try {
        const path = decodePath(req.url ?? '/');
        const reply =
          path === undefined
            ? textReply(400, 'Bad request path')
            : route(state, req, path, Buffer.concat(chunks).toString('utf8'));
        send(req, res, reply);
      } catch (error) {
        fail(error);
      }
    };
  };
}
