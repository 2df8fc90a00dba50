// Per-request context and reply helpers shared by every handler. Handlers are synchronous functions
// from a Ctx to a Reply: the body is already read, so no handler touches the socket.
import { STATUS_CODES, type IncomingHttpHeaders } from 'node:http';
import { el, encodePath, NS, serializeXml, type XmlElement } from '../xml/index.js';
import type { Faults } from './faults.js';
import type { Layout } from './layout.js';
import type { Lock } from './locks.js';
import type { Resource, Store } from './store.js';

export interface ServerState {
  store: Store;
  layout: Layout;
  faults: Faults;
  users: Map<string, string>;
  quiet: boolean;
  /** Active locks by token (RFC 4918 §6). */
  locks: Map<string, Lock>;
}

export interface Ctx {
  state: ServerState;
  method: string;
  /** Decoded request path. */
  path: string;
  /** Authenticated user ('' only for unauthenticated OPTIONS / redirects). */
  user: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export const DAV = (local: string): string => `{${NS.dav}}${local}`;
export const CAL = (local: string): string => `{${NS.caldav}}${local}`;
export const CS = (local: string): string => `{${NS.cs}}${local}`;
export const ICALNS = (local: string): string => `{${NS.ical}}${local}`;

export function header(ctx: Ctx, name: string): string | undefined {
  const v = ctx.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

export function statusLine(code: number): string {
  return `HTTP/1.1 ${code} ${STATUS_CODES[code] ?? 'Unknown'}`;
}

export function hrefEl(path: string): XmlElement {
  return el(DAV('href'), [encodePath(path)]);
}

export function xmlReply(status: number, root: XmlElement, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { 'Content-Type': 'application/xml; charset=utf-8', ...headers },
    body: serializeXml(root),
  };
}

export function textReply(status: number, text: string, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...headers }, body: text + '\n' };
}

/**
 * A precondition/postcondition failure: `status` with a DAV:error body naming the condition
 * (RFC 4918 §16). `condition` is either a Clark name or a ready element with content.
 */
export function davError(ctx: Ctx, status: number, condition: string | XmlElement): Reply {
  const cond = typeof condition === 'string' ? el(condition) : condition;
  // Fault hook: servers that turn every precondition failure into an opaque internal error.
  if (ctx.state.faults.has('precondition-500')) return textReply(500, 'Internal Server Error');
  return xmlReply(status, el(DAV('error'), [cond]));
}

export function propstatEl(props: XmlElement[], status: number, error?: XmlElement): XmlElement {
  const children = [el(DAV('prop'), props), el(DAV('status'), [statusLine(status)])];
  if (error) children.push(el(DAV('error'), [error]));
  return el(DAV('propstat'), children);
}

export function statusResponse(path: string, status: number, error?: XmlElement): XmlElement {
  const children = [hrefEl(path), el(DAV('status'), [statusLine(status)])];
  if (error) children.push(el(DAV('error'), [error]));
  return el(DAV('response'), children);
}

export function multistatus(responses: XmlElement[], syncToken?: string): Reply {
  const children = [...responses];
  if (syncToken !== undefined) children.push(el(DAV('sync-token'), [syncToken]));
  return xmlReply(207, el(DAV('multistatus'), children));
}

/** Depth header: '0', '1' or 'infinity'; `fallback` when absent (RFC 4918 defaults differ per method). */
export function depthOf(ctx: Ctx, fallback: '0' | '1' | 'infinity'): '0' | '1' | 'infinity' | 'invalid' {
  const raw = header(ctx, 'depth')?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (raw === '0' || raw === '1' || raw === 'infinity') return raw;
  return 'invalid';
}

/** A calendar's component set; fault hook (no-vfreebusy): never VFREEBUSY, whatever MKCALENDAR asked for. */
export function componentSet(ctx: Ctx, calendar: Resource): string[] {
  const set = calendar.components ?? [];
  return ctx.state.faults.has('no-vfreebusy') ? set.filter((c) => c !== 'VFREEBUSY') : set;
}
