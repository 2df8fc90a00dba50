// Servers with a trash bin for calendar objects (Nextcloud keeps every deleted object in
// `<home>/trashbin/objects/`, and a DELETE there removes it for good) would keep what calspec
// deleted, so an account would not end as it was found. After the sweep, the profile's trash
// collection is searched and each entry whose UID carries the run's prefix is deleted; the UID is
// read from the calendar data itself (Nextcloud's trash ignores the query's text-match).
import { deepText } from '../xml/element.js';
import { findProp, parseMultistatus } from '../xml/multistatus.js';
import { hrefPath } from '../xml/href.js';
import type { AccountRef } from './account-sweep.js';
import { uidOf } from './account-sweep.js';
import { trashCollectionFor } from './cleanup-headers.js';
import type { DavClient } from './http.js';
import { removeVerified } from './presence.js';

const QUERY = `<?xml version="1.0" encoding="utf-8"?>
<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><c:calendar-data/></d:prop>
<c:filter><c:comp-filter name="VCALENDAR"/></c:filter></c:calendar-query>`;

/** Remove the trashed objects whose UID starts with `uidPrefix`; returns the removed paths. */
export async function purgeTrashed(
  client: DavClient,
  baseUrl: string,
  account: AccountRef,
  uidPrefix: string,
  deadline = Date.now() + 30_000,
): Promise<string[]> {
  const trash = trashCollectionFor(new URL(account.home, baseUrl).toString());
  if (!trash || !uidPrefix) return [];
  const home = hrefPath(account.home, baseUrl).replace(/\/?$/, '/');
  const ex = await client.send({
    method: 'REPORT',
    url: new URL(home + trash, baseUrl).toString(),
    headers: { depth: '1', 'content-type': 'application/xml; charset=utf-8' },
    body: QUERY,
    auth: account.auth,
    timeoutMs: Math.max(500, Math.min(deadline - Date.now(), 10_000)),
  });
  if (ex.response?.status !== 207) return [];
  let responses;
  try {
    responses = parseMultistatus(ex.response.body).responses;
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const r of responses) {
    const path = hrefPath(r.href, baseUrl);
    const data = findProp(r, '{urn:ietf:params:xml:ns:caldav}calendar-data');
    const uid = data?.status === 200 ? uidOf(deepText(data.prop)) : undefined;
    if (path.endsWith('/') || !uid?.startsWith(uidPrefix) || Date.now() > deadline) continue;
    const url = new URL(encodeURI(path), baseUrl).toString();
    if ((await removeVerified(client, url, account.auth, { deadline })).gone) removed.push(path);
  }
  return removed;
}
