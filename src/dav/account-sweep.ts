// Scenarios marked accountWrites make the server write outside the sandbox — implicit scheduling
// delivers a copy into the attendee's inbox and calendar. Those copies carry the scenario's UID
// (`calspec-<runid>-<token>…`), so they can be found and removed precisely, without touching
// anything the run did not cause.
import type { Authenticator } from './auth.js';
import type { DavClient } from './http.js';
import { parseMultistatus } from '../xml/multistatus.js';
import { findProp } from '../xml/multistatus.js';
import { escapeText } from '../xml/write.js';

const LIST_BODY = `<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/></d:prop></d:propfind>`;

function queryBody(uidPrefix: string): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?>
<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/></d:prop>
<c:filter><c:comp-filter name="VCALENDAR"><c:prop-filter name="UID"><c:text-match collation="i;octet">` +
    `${escapeText(uidPrefix)}</c:text-match></c:prop-filter></c:comp-filter></c:filter></c:calendar-query>`
  );
}

/** Delete every object under `home`'s calendars whose UID contains `uidPrefix`; returns their paths. */
export async function sweepByUid(
  client: DavClient,
  baseUrl: string,
  home: string,
  auth: Authenticator,
  uidPrefix: string,
): Promise<string[]> {
  const removed: string[] = [];
  const listing = await client.send({
    method: 'PROPFIND',
    url: new URL(home, baseUrl).toString(),
    headers: { depth: '1' },
    body: LIST_BODY,
    auth,
  });
  if (listing.response?.status !== 207) return removed;
  const calendars = parseMultistatus(listing.response.body).responses.filter((r) => {
    const type = findProp(r, '{DAV:}resourcetype');
    return type?.prop.children.some((c) => c.name.startsWith('{urn:ietf:params:xml:ns:caldav}'));
  });
  for (const calendar of calendars) {
    const url = new URL(calendar.href, baseUrl).toString();
    const found = await client.send({
      method: 'REPORT',
      url,
      headers: { depth: '1' },
      body: queryBody(uidPrefix),
      auth,
    });
    if (found.response?.status !== 207) continue;
    for (const r of parseMultistatus(found.response.body).responses) {
      if (r.href.endsWith('/')) continue;
      const del = await client.send({ method: 'DELETE', url: new URL(r.href, baseUrl).toString(), auth });
      if (del.response && del.response.status < 300) removed.push(r.href);
    }
  }
  return removed;
}
