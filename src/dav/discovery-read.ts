// Reading the bootstrap's PROPFIND answers leniently: values are taken wherever a client could use
// them (relative or absolute hrefs, redirects followed, a propstat that lost its status), and what
// breaks a requirement on the way is written down as a finding instead of stopping the run.
import type { Exchange } from '../model/exchange.js';
import { CalspecError, EXIT } from '../model/exit-codes.js';
import { deepText, firstChild } from '../xml/element.js';
import { findProp, parseMultistatus, type MultistatusResponse } from '../xml/multistatus.js';
import { hrefPath } from '../xml/href.js';
import { DISCOVERY, type DiscoveryFinding } from './discovery-findings.js';

export type Send = (
  method: string,
  url: string,
  body?: string,
  extra?: Record<string, string>,
  follow?: boolean,
) => Promise<Exchange>;

const PRINCIPAL_PROPS =
  `<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:"><d:prop><d:current-user-principal/>` +
  `<d:principal-URL/><d:resourcetype/></d:prop></d:propfind>`;

const CALDAV = 'urn:ietf:params:xml:ns:caldav';

/** The principal href at `url` (current-user-principal, else principal-URL), with the exchange. */
export async function principalAt(
  send: Send,
  url: string,
  user: string,
  findings: DiscoveryFinding[],
): Promise<{ href?: string; ex: Exchange }> {
  const ex = await send('PROPFIND', url, PRINCIPAL_PROPS, { depth: '0' }, true);
  if (!ex.response) throw new CalspecError(`cannot reach ${url}: ${ex.error}`, EXIT.target);
  assertAuthorized(ex, user, url);
  const responses = readResponses(ex);
  for (const response of responses ?? []) {
    noteStatusless(response, ex, user, findings);
    for (const name of ['{DAV:}current-user-principal', '{DAV:}principal-URL']) {
      const found = findProp(response, name);
      // A propstat without a status is already a finding; its value is still what the server meant.
      const usable = found && (found.status === 200 || found.status === null);
      const href = usable ? firstChild(found.prop, '{DAV:}href') : undefined;
      if (href && deepText(href).trim()) return { href: deepText(href).trim(), ex };
    }
  }
  return { ex };
}

/** calendar-home-set and a mailto: address from the principal's PROPFIND answer. */
export function readHome(
  ex: Exchange,
  baseUrl: string,
  user: string,
  findings: DiscoveryFinding[],
): { home?: string; email?: string; missing?: string; unreadable?: string } {
  if (ex.response?.status !== 207) return {};
  let response: MultistatusResponse | undefined;
  try {
    response = parseMultistatus(ex.response.body).responses[0];
  } catch (error) {
    return { unreadable: (error as Error).message.split('\n')[0] };
  }
  if (!response) return { missing: 'no DAV:response in the multistatus' };
  noteStatusless(response, ex, user, findings);
  const out: { home?: string; email?: string; missing?: string; unreadable?: string } = {};
  const homeSet = findProp(response, `{${CALDAV}}calendar-home-set`);
  const href = homeSet && homeSet.status !== null && homeSet.status >= 300 ? undefined : homeSet?.prop;
  const first = href ? firstChild(href, '{DAV:}href') : undefined;
  if (first && deepText(first).trim()) out.home = hrefPath(deepText(first).trim(), ex.request.url || baseUrl);
  else out.missing = homeSet ? `propstat status ${homeSet.status ?? '(none)'}, no DAV:href` : 'not in any propstat';
  const addresses = findProp(response, `{${CALDAV}}calendar-user-address-set`);
  const mailto = addresses?.prop.children.map((c) => deepText(c).trim()).find((h) => /^mailto:/i.test(h));
  if (mailto) out.email = mailto;
  return out;
}

/** The multistatus responses of a 207, or undefined when there is no readable multistatus. */
function readResponses(ex: Exchange): MultistatusResponse[] | undefined {
  if (ex.response?.status !== 207) return undefined;
  try {
    return parseMultistatus(ex.response.body).responses;
  } catch {
    return undefined;
  }
}

/** RFC 4918 §14.22: a propstat holds exactly one status; one without is recorded once per answer. */
function noteStatusless(response: MultistatusResponse, ex: Exchange, user: string, findings: DiscoveryFinding[]): void {
  const bad = response.propstats.filter((p) => p.status === null);
  if (!bad.length || findings.some((f) => f.exchange === ex && f.requirement === DISCOVERY.propstatStatus)) return;
  const lines = bad.map((p) => (p.statusLine ? `unparsable status '${p.statusLine}'` : 'no DAV:status'));
  findings.push({
    requirement: DISCOVERY.propstatStatus,
    user,
    description: `propstat status in the answer to ${ex.request.method} ${hrefPath(ex.request.url)}`,
    expected: ['a DAV:status in every DAV:propstat'],
    actual: `${[...new Set(lines)].join(', ')} in ${bad.length} of ${response.propstats.length} propstat(s)`,
    exchange: ex,
  });
}

/**
 * Another configured user whose name is a segment of the principal path, when the user's own name
 * (or the local part of an e-mail login) is not. Paths without user names prove nothing either way.
 */
export function otherUserIn(path: string, user: string, others: string[]): string | undefined {
  const segments = path.toLowerCase().split('/').filter(Boolean);
  const own = [user, user.split('@')[0]!].map((u) => u.toLowerCase());
  if (own.some((u) => segments.includes(u))) return undefined;
  return others.find((o) => o.toLowerCase() !== own[0] && segments.includes(o.toLowerCase()));
}

/** Whether the target says it is a CalDAV server (DAV: calendar-access on the root or the principal). */
export async function claimsCalendarAccess(send: Send, davClasses: string[], principalUrl: string): Promise<boolean> {
  if (davClasses.includes('calendar-access')) return true;
  const options = await send('OPTIONS', principalUrl);
  return tokens(options.response?.headers.dav).includes('calendar-access');
}

/** Why no principal was found: not WebDAV at all, or WebDAV without a way to the principal. */
export function noPrincipalMessage(baseUrl: string, options: Exchange, propfind: Exchange): string {
  const status = propfind.response?.status;
  if (!options.response?.headers.dav && status !== 207) {
    const type = propfind.response?.headers['content-type']?.split(';')[0];
    return (
      `${baseUrl} does not speak WebDAV: OPTIONS has no DAV header and PROPFIND answered ${status}` +
      `${type ? ` (${type})` : ''}; is --target the CalDAV URL?`
    );
  }
  // RFC 5397 is optional: a CalDAV server without it is not at fault, calspec just needs the path.
  if (tokens(options.response?.headers.dav).includes('calendar-access'))
    return (
      `no current-user-principal at ${baseUrl} or /.well-known/caldav, and the server offers no other way ` +
      `to the principal: pass a --profile with layout.principal (and layout.home)`
    );
  return (
    `no current-user-principal at ${baseUrl} or /.well-known/caldav: ` +
    `is this a CalDAV server? (a --profile with layout.principal can help)`
  );
}

export function assertAuthorized(ex: Exchange, user: string, url: string): void {
  if (ex.response?.status === 401) {
    throw new CalspecError(
      `authentication failed for user '${user}' at ${url} (401); check --user and the password`,
      EXIT.target,
    );
  }
}

export function tokens(header: string | undefined): string[] {
  return (header ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}
