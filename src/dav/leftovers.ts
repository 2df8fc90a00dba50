// Finding what killed runs left behind (`calspec cleanup`): collections directly under a calendar
// home whose name starts `calspec-<runid>` AND whose displayname is calspec's marker
// (`calspec sandbox <runid> <scenario>`, set by defaultCalendarBody). Both must agree, so a user's
// own collection is never taken for a leftover, whatever its name.
import { deepText } from '../xml/element.js';
import { findProp, parseMultistatus } from '../xml/multistatus.js';
import { hrefPath } from '../xml/href.js';
import { CalspecError, EXIT } from '../model/exit-codes.js';
import type { Authenticator } from './auth.js';
import type { DavClient } from './http.js';
import { SANDBOX_PREFIX } from './sandbox.js';

export interface Leftover {
  /** Absolute path of the collection. */
  path: string;
  displayname: string;
  runId: string;
  /** When the run started (from the run id), if it parses. */
  startedAt?: Date;
}

const LIST_BODY = `<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:"><d:prop><d:displayname/><d:resourcetype/></d:prop></d:propfind>`;

/** Run ids look like 20250102-030405-ab12 (UTC, see newRunId). */
const RUN_ID = /^(\d{8})-(\d{6})-[a-z0-9]+$/;
const MARKER = /^calspec sandbox (\S+) /;

export function runIdTime(runId: string): Date | undefined {
  const m = RUN_ID.exec(runId);
  if (!m) return undefined;
  const [d, t] = [m[1]!, m[2]!];
  const ms = Date.UTC(
    +d.slice(0, 4),
    +d.slice(4, 6) - 1,
    +d.slice(6, 8),
    +t.slice(0, 2),
    +t.slice(2, 4),
    +t.slice(4, 6),
  );
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** `90s`, `15m`, `1h`, `2d` → milliseconds; undefined if it does not parse. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
}

/** Is this (name, displayname) pair one of calspec's sandboxes? Returns its run id. */
export function sandboxRunId(name: string, displayname: string): string | undefined {
  if (!name.startsWith(SANDBOX_PREFIX)) return undefined;
  const runId = MARKER.exec(displayname)?.[1];
  if (!runId || !RUN_ID.test(runId)) return undefined;
  return name.startsWith(`${SANDBOX_PREFIX}${runId}-`) || name === `${SANDBOX_PREFIX}${runId}` ? runId : undefined;
}

export async function findLeftovers(
  client: DavClient,
  baseUrl: string,
  home: string,
  auth: Authenticator,
): Promise<Leftover[]> {
  const url = new URL(home, baseUrl).toString();
  const ex = await client.send({ method: 'PROPFIND', url, headers: { depth: '1' }, body: LIST_BODY, auth });
  if (!ex.response) throw new CalspecError(`PROPFIND ${home}: ${ex.error}`, EXIT.target);
  if (ex.response.status !== 207)
    throw new CalspecError(`PROPFIND ${home}: expected 207, got ${ex.response.status}`, EXIT.target);
  let responses;
  try {
    responses = parseMultistatus(ex.response.body).responses;
  } catch (error) {
    throw new CalspecError(
      `PROPFIND ${home}: unreadable 207 response (${(error as Error).message.split('\n')[0]})`,
      EXIT.target,
    );
  }
  const homePath = hrefPath(home, baseUrl);
  const out: Leftover[] = [];
  for (const r of responses) {
    const path = hrefPath(r.href, baseUrl);
    const rel = path.startsWith(homePath) ? path.slice(homePath.length).replace(/\/$/, '') : '';
    // Direct children only: never anything above or beside the home.
    if (!rel || rel.includes('/')) continue;
    const name = safeDecode(rel);
    const dn = findProp(r, '{DAV:}displayname');
    const displayname = dn && dn.status === 200 ? deepText(dn.prop).trim() : '';
    const runId = sandboxRunId(name, displayname);
    if (!runId) continue;
    const item: Leftover = { path, displayname, runId };
    const startedAt = runIdTime(runId);
    if (startedAt) item.startedAt = startedAt;
    out.push(item);
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** Only leftovers from runs that started more than `ms` ago (unknown start: kept out). */
export function olderThan(items: Leftover[], ms: number, now = Date.now()): Leftover[] {
  return items.filter((i) => i.startedAt !== undefined && now - i.startedAt.getTime() > ms);
}

export async function removeLeftovers(
  client: DavClient,
  baseUrl: string,
  items: Leftover[],
  auth: Authenticator,
): Promise<{ removed: string[]; failed: { path: string; why: string }[] }> {
  const removed: string[] = [];
  const failed: { path: string; why: string }[] = [];
  for (const item of items) {
    const ex = await client.send({ method: 'DELETE', url: new URL(encodeURI(item.path), baseUrl).toString(), auth });
    const status = ex.response?.status;
    if (status !== undefined && (status < 300 || status === 404)) removed.push(item.path);
    else failed.push({ path: item.path, why: status === undefined ? (ex.error ?? 'no response') : `status ${status}` });
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
