// Finding what runs left behind (`calspec cleanup`, and the end of every run): run-prefixed
// collections directly under a calendar home, and run-prefixed objects in the home itself and
// inside each calendar of the home (or a calendar named explicitly). Only names that start with
// `calspec-<runid>` are ever considered; a collection must also not carry someone else's name
// (its displayname is calspec's marker, another calspec label, or empty), so a user's own
// collection is never taken for a leftover.
import { deepText } from '../xml/element.js';
import { findProp, parseMultistatus, type MultistatusResponse } from '../xml/multistatus.js';
import { hrefPath } from '../xml/href.js';
import { CalspecError, EXIT } from '../model/exit-codes.js';
import type { Authenticator } from './auth.js';
import type { DavClient } from './http.js';
import { removeVerified } from './presence.js';
import { RUN_ID, runIdOfName, runIdTime } from './run-id.js';
import { findByUid } from './account-sweep.js';

export { runIdTime } from './run-id.js';

export interface Leftover {
  /** Absolute path (collections end with /). */
  path: string;
  kind: 'collection' | 'object';
  displayname: string;
  runId: string;
  /** When the run started (from the run id), if it parses. */
  startedAt?: Date;
}

export interface FindOptions {
  /** Only this run's. */
  runId?: string;
  /** Calendars to look into besides the home's own (e.g. `--calendar`, a shared calendar). */
  calendars?: string[];
  /**
   * Also objects with any name whose UID is a run's (`calspec-<runid>-…`): copies implicit
   * scheduling put into the calendars and the schedule inbox of the account.
   */
  byUid?: { principal?: string };
}

const LIST_BODY = `<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:"><d:prop><d:displayname/><d:resourcetype/></d:prop></d:propfind>`;

const MARKER = /^calspec sandbox (\S+) /;

/** `90s`, `15m`, `1h`, `2d` → milliseconds; undefined if it does not parse. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
}

/** Is this collection (name, displayname) one of calspec's? Returns its run id. */
export function sandboxRunId(name: string, displayname: string): string | undefined {
  const runId = runIdOfName(name);
  if (!runId || !RUN_ID.test(runId)) return undefined;
  const marked = MARKER.exec(displayname)?.[1];
  if (marked !== undefined) return marked === runId ? runId : undefined;
  // Discover's scratch calendars ("calspec discover …") and plain MKCOLs (no displayname).
  return displayname === '' || /^calspec\b/.test(displayname) ? runId : undefined;
}

interface Child {
  path: string;
  name: string;
  collection: boolean;
  calendar: boolean;
  displayname: string;
}

async function listChildren(
  client: DavClient,
  baseUrl: string,
  collection: string,
  auth: Authenticator,
): Promise<Child[]> {
  const url = new URL(encodeURI(hrefPath(collection, baseUrl)), baseUrl).toString();
  const ex = await client.send({ method: 'PROPFIND', url, headers: { depth: '1' }, body: LIST_BODY, auth });
  if (!ex.response) throw new CalspecError(`PROPFIND ${collection}: ${ex.error}`, EXIT.target);
  if (ex.response.status !== 207)
    throw new CalspecError(`PROPFIND ${collection}: expected 207, got ${ex.response.status}`, EXIT.target);
  let responses: MultistatusResponse[];
  try {
    responses = parseMultistatus(ex.response.body).responses;
  } catch (error) {
    throw new CalspecError(
      `PROPFIND ${collection}: unreadable 207 response (${(error as Error).message.split('\n')[0]})`,
      EXIT.target,
    );
  }
  const parent = hrefPath(collection, baseUrl).replace(/\/?$/, '/');
  const out: Child[] = [];
  for (const r of responses) {
    const path = hrefPath(r.href, baseUrl);
    const rel = path.startsWith(parent) ? path.slice(parent.length).replace(/\/$/, '') : '';
    // Direct children only: never anything above or beside the collection.
    if (!rel || rel.includes('/')) continue;
    const type = findProp(r, '{DAV:}resourcetype');
    const types = type && type.status === 200 ? type.prop.children.map((c) => c.name) : [];
    const dn = findProp(r, '{DAV:}displayname');
    out.push({
      path,
      name: safeDecode(rel),
      collection: path.endsWith('/') || types.includes('{DAV:}collection'),
      calendar: types.includes('{urn:ietf:params:xml:ns:caldav}calendar'),
      displayname: dn && dn.status === 200 ? deepText(dn.prop).trim() : '',
    });
  }
  return out;
}

function leftover(child: Child, runId: string): Leftover {
  const path = child.collection && !child.path.endsWith('/') ? `${child.path}/` : child.path;
  const item: Leftover = {
    path,
    kind: child.collection ? 'collection' : 'object',
    displayname: child.displayname,
    runId,
  };
  const startedAt = runIdTime(runId);
  if (startedAt) item.startedAt = startedAt;
  return item;
}

export async function findLeftovers(
  client: DavClient,
  baseUrl: string,
  home: string,
  auth: Authenticator,
  opts: FindOptions = {},
): Promise<Leftover[]> {
  const wanted = (runId: string | undefined): runId is string =>
    runId !== undefined && (opts.runId === undefined || runId === opts.runId);
  const out: Leftover[] = [];
  const calendars: string[] = [];
  for (const child of await listChildren(client, baseUrl, home, auth)) {
    const runId = child.collection ? sandboxRunId(child.name, child.displayname) : runIdOfName(child.name);
    if (wanted(runId)) out.push(leftover(child, runId));
    // A run-prefixed calendar goes whole; other calendars may hold run-prefixed objects.
    else if (child.calendar && !runIdOfName(child.name)) calendars.push(child.path);
  }
  const extra = (opts.calendars ?? []).map((c) => hrefPath(c, baseUrl).replace(/\/?$/, '/'));
  for (const calendar of [...new Set([...calendars, ...extra])]) {
    let children: Child[];
    try {
      children = await listChildren(client, baseUrl, calendar, auth);
    } catch (error) {
      // A calendar named on the command line must be readable; one of the home's may refuse.
      if (extra.includes(calendar)) throw error;
      continue;
    }
    for (const child of children) {
      const runId = child.collection ? undefined : runIdOfName(child.name);
      if (wanted(runId)) out.push(leftover(child, runId));
    }
  }
  if (opts.byUid) {
    const account = { home, auth, ...(opts.byUid.principal ? { principal: opts.byUid.principal } : {}) };
    const prefix = opts.runId ? `calspec-${opts.runId}-` : 'calspec-';
    const accept = (uid: string) => wanted(runIdOfName(uid)) && uid.length > prefix.length;
    for (const hit of await findByUid(client, baseUrl, account, prefix, { accept, calendars: extra })) {
      if (out.some((o) => o.path === hit.path)) continue;
      const child = { path: hit.path, name: '', collection: false, calendar: false, displayname: '' };
      out.push(leftover(child, runIdOfName(hit.uid)!));
    }
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** Only leftovers from runs that started more than `ms` ago (unknown start: kept out). */
export function olderThan(items: Leftover[], ms: number, now = Date.now()): Leftover[] {
  return items.filter((i) => i.startedAt !== undefined && now - i.startedAt.getTime() > ms);
}

/** DELETE each and look again: only what is verified gone counts as removed. */
export async function removeLeftovers(
  client: DavClient,
  baseUrl: string,
  items: Leftover[],
  auth: Authenticator,
  deadline = Date.now() + 60_000,
): Promise<{ removed: string[]; failed: { path: string; why: string }[] }> {
  const removed: string[] = [];
  const failed: { path: string; why: string }[] = [];
  for (const item of items) {
    if (Date.now() > deadline) {
      failed.push({ path: item.path, why: 'out of time' });
      continue;
    }
    const url = new URL(encodeURI(item.path), baseUrl).toString();
    const r = await removeVerified(client, url, auth, { deadline });
    if (r.gone) removed.push(item.path);
    else failed.push({ path: item.path, why: r.why ?? 'still there' });
  }
  return { removed, failed };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
