// Finding the user's principal and calendar home (RFC 5397 current-user-principal, RFC 6764
// well-known URI, RFC 4791 §6.2.1 calendar-home-set), with profile hints as the last resort.
// A target that does not answer like WebDAV at all is a CalspecError (exit 3); a WebDAV server
// whose discovery answers break a requirement is a DiscoveryFailed carrying the findings, which
// `calspec run` reports as failed discovery scenarios (src/dav/discovery-findings.ts).
import type { Exchange } from '../model/exchange.js';
import { CalspecError, EXIT } from '../model/exit-codes.js';
import { hrefPath } from '../xml/href.js';
import type { Authenticator } from './auth.js';
import type { DavClient } from './http.js';
import { DISCOVERY, DiscoveryFailed, type DiscoveryFinding, type PartialDiscovery } from './discovery-findings.js';
import {
  assertAuthorized,
  claimsCalendarAccess,
  noPrincipalMessage,
  otherUserIn,
  principalAt,
  readHome,
  tokens,
  type Send,
} from './discovery-read.js';

export interface Discovered {
  baseUrl: string;
  principal: string;
  home: string;
  email?: string;
  davClasses: string[];
  serverHeader?: string;
  exchanges: Exchange[];
  notes: string[];
}

export interface LayoutHints {
  principal?: string;
  home?: string;
}

const HOME_PROPS =
  `<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop>` +
  `<c:calendar-home-set/><c:calendar-user-address-set/><d:displayname/></d:prop></d:propfind>`;

export async function discover(
  client: DavClient,
  baseUrl: string,
  auth: Authenticator,
  user: string,
  hints: LayoutHints = {},
  /** The run's other users: a principal path naming one of them is somebody else's principal. */
  others: string[] = [],
): Promise<Discovered> {
  const exchanges: Exchange[] = [];
  const notes: string[] = [];
  const findings: DiscoveryFinding[] = [];
  const send: Send = async (method, url, body, extra = {}, follow = false) => {
    const ex = await client.send({
      method,
      url,
      auth,
      followRedirects: follow,
      ...(body ? { body } : {}),
      headers: { ...extra },
    });
    exchanges.push(ex);
    return ex;
  };
  const options = await send('OPTIONS', baseUrl);
  if (!options.response) throw new CalspecError(`cannot reach ${baseUrl}: ${options.error}`, EXIT.target);
  let davClasses = tokens(options.response.headers.dav);
  const serverHeader = options.response.headers.server;
  const partial = (principal?: string, home?: string): PartialDiscovery => ({
    davClasses,
    ...(principal ? { principal } : {}),
    ...(home ? { home } : {}),
    ...(serverHeader ? { serverHeader } : {}),
  });
  // Once a violation is on record, it is the better explanation of why discovery cannot go on.
  const stop = (fallback: string, principal?: string): never => {
    throw findings.length ? new DiscoveryFailed(findings, partial(principal)) : new CalspecError(fallback, EXIT.target);
  };

  const atBase = await principalAt(send, baseUrl, user, findings);
  let found = atBase;
  if (!found.href) {
    const wellKnown = new URL('/.well-known/caldav', baseUrl).toString();
    found = await principalAt(send, wellKnown, user, findings);
    if (found.href) notes.push(`principal found through ${wellKnown}`);
  }
  // RFC 5397 is optional (RFC 6764 §6 has the client ask the user instead), so a missing property
  // is no violation: the profile's layout stands in for the user.
  const fromProfile = !found.href && Boolean(hints.principal);
  const principal = found.href ?? hints.principal?.replace('{user}', encodeURIComponent(user));
  if (!principal) return stop(noPrincipalMessage(baseUrl, options, atBase.ex));
  if (fromProfile) notes.push(`principal taken from the profile: ${principal}`);
  // A relative href resolves against the URL that answered it (after any redirect).
  const principalUrl = new URL(principal, fromProfile ? baseUrl : found.ex.request.url).toString();
  const principalPath = hrefPath(principalUrl, baseUrl);
  const other = fromProfile ? undefined : otherUserIn(principalPath, user, others);
  if (other)
    findings.push({
      requirement: DISCOVERY.ownPrincipal,
      user,
      description: `current-user-principal for user '${user}'`,
      expected: [`a principal of '${user}'`],
      actual: `${principalPath}, a path naming user '${other}'`,
      exchange: found.ex,
    });

  const homeEx = await send('PROPFIND', principalUrl, HOME_PROPS, { depth: '0' });
  assertAuthorized(homeEx, user, principalUrl);
  if (!homeEx.response) return stop(`cannot reach ${principalUrl}: ${homeEx.error}`, principalPath);
  const status = homeEx.response.status;
  const read = readHome(homeEx, baseUrl, user, findings);
  if (read.unreadable)
    return stop(
      `PROPFIND ${principalPath} for calendar-home-set: unreadable 207 response (${read.unreadable})`,
      principalPath,
    );
  let home = read.home;
  // Only "not there" proves the href wrong; a 403 or 400 may be the server's access rules or parser.
  if ((status === 404 || status === 410) && !fromProfile && !other)
    findings.push({
      requirement: DISCOVERY.principalResource,
      user,
      description: `PROPFIND ${principalPath} (the current-user-principal)`,
      expected: ['207 from the principal resource'],
      actual: String(status),
      exchange: homeEx,
    });
  if (!home && hints.home) {
    home = hints.home.replace('{user}', encodeURIComponent(user));
    notes.push(`calendar home taken from the profile: ${home}`);
  }
  if (!home) {
    // calendar-home-set is only a SHOULD, but a server that claims calendar-access and leaves it out
    // gives a client no way to its calendars: reported (non-strict), not dismissed as "not CalDAV".
    if (status === 207 && !findings.length && (await claimsCalendarAccess(send, davClasses, principalUrl)))
      findings.push({
        requirement: DISCOVERY.homeSet,
        user,
        description: `CALDAV:calendar-home-set on principal ${principalPath}`,
        expected: ['a DAV:href in a 200 propstat'],
        actual: read.missing ?? 'absent',
        exchange: homeEx,
      });
    return stop(
      status === 207
        ? `no calendar-home-set on principal ${principalPath}: the target does not look like a CalDAV server`
        : `PROPFIND ${principalPath} for calendar-home-set answered ${status}`,
      principalPath,
    );
  }
  if (!home.endsWith('/')) home += '/';
  if (findings.length) throw new DiscoveryFailed(findings, partial(principalPath, home));

  if (!davClasses.includes('calendar-access')) {
    const homeOptions = await send('OPTIONS', new URL(home, baseUrl).toString());
    davClasses = tokens(homeOptions.response?.headers.dav);
    if (!davClasses.includes('calendar-access')) notes.push(`DAV header of ${home} does not list calendar-access`);
  }
  const result: Discovered = { baseUrl, principal: principalPath, home, davClasses, exchanges, notes };
  if (read.email) result.email = read.email;
  if (serverHeader) result.serverHeader = serverHeader;
  return result;
}
