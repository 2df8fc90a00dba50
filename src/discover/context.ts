// Shared plumbing of the discover probes: sending requests, reading multistatus answers, and
// telling a clean refusal (403/405/501) from an ungraceful one (5xx, dropped connection, junk).
import type { Exchange } from '../model/exchange.js';
import { CalspecError, EXIT } from '../model/exit-codes.js';
import type { Authenticator } from '../dav/auth.js';
import type { DavClient } from '../dav/http.js';
import type { Sandbox } from '../dav/sandbox.js';
import { deepText, firstChild, type XmlElement } from '../xml/element.js';
import { findProp, parseMultistatus, type Multistatus } from '../xml/multistatus.js';
import type { FeatureGrade } from './types.js';

export class Interrupted extends Error {}

export interface ProbeContext {
  client: DavClient;
  auth: Authenticator;
  baseUrl: string;
  user: string;
  runId: string;
  principal: string;
  home: string;
  sandbox: Sandbox;
  signal?: AbortSignal;
  davClasses: string[];
  /** The calendar the object probes write into (decoded path ending with /). */
  calendar?: string;
  /** Prefix of object names: empty in our own scratch calendar, run-prefixed in a shared one. */
  objectPrefix: string;
  /** True when the scratch calendar is ours (created by MKCALENDAR or extended MKCOL). */
  ownCalendar: boolean;
  /** Every exchange, for --json debugging. */
  exchanges: Exchange[];
}

export interface SendOptions {
  body?: string;
  headers?: Record<string, string>;
  follow?: boolean;
  /** Send without credentials. */
  anonymous?: boolean;
}

export async function send(ctx: ProbeContext, method: string, path: string, opts: SendOptions = {}): Promise<Exchange> {
  if (ctx.signal?.aborted) throw new Interrupted('interrupted');
  const url = /^https?:/.test(path) ? path : new URL(encodeURI(path), ctx.baseUrl).toString();
  // Into the run's ledger before sending: a failed or unanswered write may still have created it.
  const dest = opts.headers?.Destination ?? opts.headers?.destination;
  ctx.sandbox.note(method, url, dest, opts.anonymous ? undefined : ctx.auth, 'discover');
  const ex = await ctx.client.send({
    method,
    url,
    headers: opts.headers ?? {},
    ...(opts.anonymous ? {} : { auth: ctx.auth }),
    ...(opts.body !== undefined ? { body: opts.body } : {}),
    ...(opts.follow ? { followRedirects: true } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  ctx.exchanges.push(ex);
  if (ctx.signal?.aborted) throw new Interrupted('interrupted');
  if (ex.response?.status === 401 && !opts.anonymous) {
    throw new CalspecError(
      `authentication failed at ${url} (401) during ${method}; check --user and the password`,
      EXIT.target,
    );
  }
  return ex;
}

export function status(ex: Exchange): number | undefined {
  return ex.response?.status;
}

export function ok(ex: Exchange): boolean {
  const s = ex.response?.status;
  return s !== undefined && s >= 200 && s < 300;
}

export function ms(ex: Exchange): Multistatus | undefined {
  if (ex.response?.status !== 207) return undefined;
  try {
    return parseMultistatus(ex.response.body);
  } catch {
    return undefined;
  }
}

/** A property of the first response of a PROPFIND, when found with 200. */
export function prop(m: Multistatus | undefined, name: string): XmlElement | undefined {
  const r = m?.responses[0];
  const found = r && findProp(r, name);
  return found && found.status === 200 ? found.prop : undefined;
}

export function hrefOf(el: XmlElement | undefined): string | undefined {
  const href = el && firstChild(el, '{DAV:}href');
  return href ? deepText(href).trim() : undefined;
}

export function localNames(el: XmlElement | undefined, depth = 4): string[] {
  if (!el || depth < 0) return [];
  return el.children.flatMap((c) => [c.name.replace(/^\{[^}]*\}/, ''), ...localNames(c, depth - 1)]);
}

/** "403 Forbidden (DAV:supported-report)" style one-liner of an answer. */
export function describe(ex: Exchange): string {
  if (!ex.response) return `no answer (${ex.error ?? 'transport error'})`;
  const s = ex.response.status;
  const cond = new RegExp(
    '<(?:[\\w-]+:)?(supported-report|valid-sync-token|supported-calendar-component|supported-calendar-data|' +
      'valid-calendar-data|need-privileges|no-uid-conflict|calendar-collection-location-ok|resource-must-be-null|' +
      'valid-resourcetype|supported-filter)\\b',
  ).exec(ex.response.body)?.[1];
  return `${s}${cond ? ` (${cond})` : ''}`;
}

/**
 * The grade of an answer that did not do what was asked: a clean refusal is `unsupported`,
 * a 5xx, a dropped connection or an unparsable error body is `ungraceful`.
 */
export function refusalGrade(ex: Exchange): { grade: FeatureGrade; observed: string } {
  if (!ex.response)
    return { grade: 'ungraceful', observed: `refused by dropping the request: ${ex.error ?? 'transport error'}` };
  const s = ex.response.status;
  if (s === 403 || s === 405 || s === 501) return { grade: 'unsupported', observed: `refused with ${describe(ex)}` };
  if (s >= 500) return { grade: 'ungraceful', observed: `answered ${describe(ex)} instead of a clean 403/405/501` };
  if (s >= 400) return { grade: 'unsupported', observed: `refused with ${describe(ex)} (rather than 403/405/501)` };
  return { grade: 'broken', observed: `answered ${describe(ex)}` };
}

export function sleep(msDelay: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Interrupted('interrupted'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, msDelay);
    const onAbort = () => {
      clearTimeout(t);
      reject(new Interrupted('interrupted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const XML = { 'content-type': 'application/xml; charset=utf-8' };
export const ICAL = { 'content-type': 'text/calendar; charset=utf-8' };

export const NSDECL = 'xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:cs="http://calendarserver.org/ns/"';

export function propfindBody(props: string[]): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n<d:propfind ${NSDECL}>` +
    `<d:prop>${props.map((p) => `<${p}/>`).join('')}</d:prop></d:propfind>`
  );
}

export function vevent(uid: string, start: string, end: string, extra = ''): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//calspec//discover//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20300101T000000Z',
    `DTSTART:${start}`,
    `DTEND:${end}`,
    `SUMMARY:calspec discover ${uid}`,
    ...(extra ? extra.split('\n') : []),
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

export function vcal(component: string, uid: string, body: string[]): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//calspec//discover//EN',
    `BEGIN:${component}`,
    `UID:${uid}`,
    'DTSTAMP:20300101T000000Z',
    ...body,
    `END:${component}`,
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}
