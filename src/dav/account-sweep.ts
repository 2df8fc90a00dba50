// Scheduling copies: implicit scheduling (RFC 6638 §3.2) makes the server write outside the
// sandbox — an iTIP message into each attendee's schedule inbox and a copy into the attendee's
// calendar, under names the server chooses. Those copies keep the organizer's UID, and every UID
// calspec writes is `calspec-<runid>-<token>…`, so they can be found by UID and removed precisely,
// without touching anything the run did not cause. Looked for: every calendar of the home and the
// schedule inbox, which need not live in the home (found via CALDAV:schedule-inbox-URL on the
// principal, RFC 6638 §2.2.1).
import type { Authenticator } from './auth.js';
import type { DavClient } from './http.js';
import { deepText } from '../xml/element.js';
import { findProp, parseMultistatus, type MultistatusResponse } from '../xml/multistatus.js';
import { hrefPath } from '../xml/href.js';
import { escapeText } from '../xml/write.js';
import { removeVerified } from './presence.js';
import { runIdOfName } from './run-id.js';

const CAL = '{urn:ietf:params:xml:ns:caldav}';
const LIST_BODY = `<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/></d:prop></d:propfind>`;
const PRINCIPAL_BODY = `<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:"><d:prop><d:current-user-principal/><d:owner/></d:prop></d:propfind>`;
const INBOX_BODY = `<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
<d:prop><c:schedule-inbox-URL/></d:prop></d:propfind>`;
/** Scheduling applies to events and to-dos (RFC 6638 §3.1): one query each, as nested comp-filters AND. */
const COMPONENTS = ['VEVENT', 'VTODO'];

function queryBody(component: string, uidPrefix: string): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?>
<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data/></d:prop>
<c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="${component}"><c:prop-filter name="UID">` +
    `<c:text-match collation="i;octet">${escapeText(uidPrefix)}</c:text-match></c:prop-filter></c:comp-filter>` +
    `</c:comp-filter></c:filter></c:calendar-query>`
  );
}

export interface UidMatch {
  /** Absolute path of the object. */
  path: string;
  uid: string;
}

export interface AccountRef {
  home: string;
  /** The principal, if known (else found from the home). */
  principal?: string;
  auth: Authenticator;
}

/** The UID of an iCalendar text (first one; lines unfolded). */
export function uidOf(ics: string): string | undefined {
  return /^UID[;:](?:[^:\r\n]*:)?([^\r\n]*)/im.exec(ics.replace(/\r?\n[ \t]/g, ''))?.[1]?.trim();
}

/** Each request's timeout: within the clean-up budget, and never long (a stalled server must not hold a run). */
function within(deadline: number | undefined): { timeoutMs: number } {
  return { timeoutMs: Math.max(500, Math.min((deadline ?? Infinity) - Date.now(), 10_000)) };
}

async function propfind(
  client: DavClient,
  baseUrl: string,
  path: string,
  depth: string,
  body: string,
  auth: Authenticator,
  deadline?: number,
) {
  const ex = await client.send({
    ...within(deadline),
    method: 'PROPFIND',
    url: new URL(path, baseUrl).toString(),
    headers: { depth, 'content-type': 'application/xml; charset=utf-8' },
    body,
    auth,
  });
  if (ex.response?.status !== 207) return [];
  try {
    return parseMultistatus(ex.response.body).responses;
  } catch {
    return [];
  }
}

const hrefIn = (r: MultistatusResponse | undefined, name: string): string | undefined => {
  const p = r && findProp(r, name);
  const href = p?.status === 200 ? p.prop.children.find((c) => c.name === '{DAV:}href') : undefined;
  return href ? deepText(href).trim() || undefined : undefined;
};

/** The schedule inbox of the account (RFC 6638 §2.2.1), or undefined if the server names none. */
export async function scheduleInboxOf(
  client: DavClient,
  baseUrl: string,
  account: AccountRef,
  deadline?: number,
): Promise<string | undefined> {
  let principal = account.principal;
  if (!principal) {
    const [home] = await propfind(client, baseUrl, account.home, '0', PRINCIPAL_BODY, account.auth, deadline);
    principal = hrefIn(home, '{DAV:}current-user-principal') ?? hrefIn(home, '{DAV:}owner');
  }
  if (!principal) return undefined;
  const [r] = await propfind(client, baseUrl, principal, '0', INBOX_BODY, account.auth, deadline);
  const inbox = hrefIn(r, `${CAL}schedule-inbox-URL`);
  return inbox ? hrefPath(inbox, baseUrl).replace(/\/?$/, '/') : undefined;
}

/**
 * The collections scheduling copies may be in: the home's calendars and inboxes (never a
 * run-prefixed collection: those go whole, through the ledger or as leftovers), the principal's
 * schedule inbox, and `extra` calendars.
 */
async function collectionsOf(
  client: DavClient,
  baseUrl: string,
  account: AccountRef,
  extra: string[],
  deadline?: number,
) {
  const home = hrefPath(account.home, baseUrl).replace(/\/?$/, '/');
  const out: string[] = [];
  for (const r of await propfind(client, baseUrl, home, '1', LIST_BODY, account.auth, deadline)) {
    const path = hrefPath(r.href, baseUrl).replace(/\/?$/, '/');
    const type = findProp(r, '{DAV:}resourcetype');
    const kinds = type?.status === 200 ? type.prop.children.map((c) => c.name) : [];
    if (path === home || runIdOfName(path.slice(0, -1).split('/').pop() ?? '')) continue;
    if (kinds.includes(`${CAL}calendar`) || kinds.includes(`${CAL}schedule-inbox`)) out.push(path);
  }
  const inbox = await scheduleInboxOf(client, baseUrl, account, deadline).catch(() => undefined);
  return [
    ...new Set([...out, ...(inbox ? [inbox] : []), ...extra.map((c) => hrefPath(c, baseUrl).replace(/\/?$/, '/'))]),
  ];
}

/**
 * Objects whose UID starts with `uidPrefix` (and passes `accept`) in the account's calendars and
 * schedule inbox. The server's text-match only narrows the search; each UID is read back and
 * compared here, so a server that matches loosely cannot make calspec touch someone else's object.
 */
export async function findByUid(
  client: DavClient,
  baseUrl: string,
  account: AccountRef,
  uidPrefix: string,
  opts: { accept?: (uid: string) => boolean; calendars?: string[]; deadline?: number } = {},
): Promise<UidMatch[]> {
  const { deadline } = opts;
  const accept = opts.accept ?? ((uid: string) => uid.startsWith(uidPrefix));
  const found = new Map<string, string>();
  const collections = await collectionsOf(client, baseUrl, account, opts.calendars ?? [], deadline);
  search: for (const collection of collections) {
    for (const component of COMPONENTS) {
      if (deadline !== undefined && Date.now() > deadline) break search;
      const ex = await client.send({
        ...within(deadline),
        method: 'REPORT',
        url: new URL(collection, baseUrl).toString(),
        headers: { depth: '1', 'content-type': 'application/xml; charset=utf-8' },
        body: queryBody(component, uidPrefix),
        auth: account.auth,
      });
      // No answer at all (a stalled or gone server): searching on would only wait more.
      if (!ex.response) break search;
      if (ex.response.status !== 207) continue;
      let responses: MultistatusResponse[];
      try {
        responses = parseMultistatus(ex.response.body).responses;
      } catch {
        continue;
      }
      for (const r of responses) {
        const path = hrefPath(r.href, baseUrl);
        if (path.endsWith('/') || found.has(path)) continue;
        const data = findProp(r, `${CAL}calendar-data`);
        let uid = data?.status === 200 ? uidOf(deepText(data.prop)) : undefined;
        // No calendar-data in the answer: read the object itself.
        if (uid === undefined)
          uid = await uidByGet(client, new URL(r.href, baseUrl).toString(), account.auth, deadline);
        if (uid !== undefined && accept(uid)) found.set(path, uid);
      }
    }
  }
  return [...found].map(([path, uid]) => ({ path, uid })).sort((a, b) => a.path.localeCompare(b.path));
}

async function uidByGet(client: DavClient, url: string, auth: Authenticator, deadline?: number) {
  const ex = await client.send({ ...within(deadline), method: 'GET', url, auth });
  return ex.response && ex.response.status < 300 ? uidOf(ex.response.body) : undefined;
}

/** Find and remove (verified) what carries the UID prefix; what stays is in `failed`. */
export async function sweepAccount(
  client: DavClient,
  baseUrl: string,
  account: AccountRef,
  uidPrefix: string,
  deadline = Date.now() + 30_000,
): Promise<{ removed: string[]; failed: { path: string; why: string }[] }> {
  const removed: string[] = [];
  const failed: { path: string; why: string }[] = [];
  for (const item of await findByUid(client, baseUrl, account, uidPrefix, { deadline })) {
    if (Date.now() > deadline) {
      failed.push({ path: item.path, why: 'out of time' });
      continue;
    }
    const r = await removeVerified(client, new URL(encodeURI(item.path), baseUrl).toString(), account.auth, {
      deadline,
    });
    if (r.gone) removed.push(item.path);
    else failed.push({ path: item.path, why: r.why ?? 'still there' });
  }
  return { removed, failed };
}

/** Delete every object under `home`'s calendars and inbox whose UID starts with `uidPrefix`; returns their paths. */
export async function sweepByUid(
  client: DavClient,
  baseUrl: string,
  home: string,
  auth: Authenticator,
  uidPrefix: string,
): Promise<string[]> {
  return (await sweepAccount(client, baseUrl, { home, auth }, uidPrefix)).removed;
}
