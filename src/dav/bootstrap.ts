// Finding the user's principal and calendar home (RFC 5397 current-user-principal, RFC 6764
// well-known URI, RFC 4791 §6.2.1 calendar-home-set), with profile hints as the last resort.
import type { Exchange } from '../model/exchange.js';
import { CalspecError, EXIT } from '../model/exit-codes.js';
import { deepText, firstChild } from '../xml/element.js';
import { findProp, parseMultistatus } from '../xml/multistatus.js';
import { hrefPath } from '../xml/href.js';
import type { Authenticator } from './auth.js';
import type { DavClient } from './http.js';

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

const PRINCIPAL_PROPS =
  `<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:"><d:prop><d:current-user-principal/>` +
  `<d:principal-URL/><d:resourcetype/></d:prop></d:propfind>`;

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
): Promise<Discovered> {
  const exchanges: Exchange[] = [];
  const notes: string[] = [];
  const send = async (
    method: string,
    url: string,
    body?: string,
    extra: Record<string, string> = {},
    follow = false,
  ) => {
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

  let principal = await principalAt(send, baseUrl, user);
  if (!principal) {
    const wellKnown = new URL('/.well-known/caldav', baseUrl).toString();
    principal = await principalAt(send, wellKnown, user);
    if (principal) notes.push(`principal found through ${wellKnown}`);
  }
  if (!principal && hints.principal) {
    principal = hints.principal.replace('{user}', encodeURIComponent(user));
    notes.push(`principal taken from the profile: ${principal}`);
  }
  if (!principal) {
    throw new CalspecError(
      `no current-user-principal at ${baseUrl} or /.well-known/caldav: ` +
        `is this a CalDAV server? (a --profile with layout.principal can help)`,
      EXIT.target,
    );
  }

  const principalUrl = new URL(principal, baseUrl).toString();
  const homeEx = await send('PROPFIND', principalUrl, HOME_PROPS, { depth: '0' });
  assertAuthorized(homeEx, user, principalUrl);
  let home: string | undefined;
  let email: string | undefined;
  if (homeEx.response?.status === 207) {
    let ms: ReturnType<typeof parseMultistatus>;
    try {
      ms = parseMultistatus(homeEx.response.body);
    } catch (error) {
      throw new CalspecError(
        `PROPFIND ${principal} for calendar-home-set: ` +
          `unreadable 207 response (${(error as Error).message.split('\n')[0]})`,
        EXIT.target,
      );
    }
    const response = ms.responses[0];
    const homeSet = response && findProp(response, '{urn:ietf:params:xml:ns:caldav}calendar-home-set');
    const href = homeSet && homeSet.status === 200 ? firstChild(homeSet.prop, '{DAV:}href') : undefined;
    if (href) home = hrefPath(deepText(href).trim(), baseUrl);
    const addresses = response && findProp(response, '{urn:ietf:params:xml:ns:caldav}calendar-user-address-set');
    const mailto = addresses?.prop.children.map((c) => deepText(c).trim()).find((h) => /^mailto:/i.test(h));
    if (mailto) email = mailto;
  }
  if (!home && hints.home) {
    home = hints.home.replace('{user}', encodeURIComponent(user));
    notes.push(`calendar home taken from the profile: ${home}`);
  }
  if (!home)
    throw new CalspecError(
      `no calendar-home-set on principal ${principal}: the target does not look like a CalDAV server`,
      EXIT.target,
    );
  if (!home.endsWith('/')) home += '/';

  if (!davClasses.includes('calendar-access')) {
    const homeOptions = await send('OPTIONS', new URL(home, baseUrl).toString());
    davClasses = tokens(homeOptions.response?.headers.dav);
    if (!davClasses.includes('calendar-access')) notes.push(`DAV header of ${home} does not list calendar-access`);
  }
  const result: Discovered = { baseUrl, principal: hrefPath(principal, baseUrl), home, davClasses, exchanges, notes };
  if (email) result.email = email;
  const server = options.response.headers.server;
  if (server) result.serverHeader = server;
  return result;
}

type Send = (
  method: string,
  url: string,
  body?: string,
  extra?: Record<string, string>,
  follow?: boolean,
) => Promise<Exchange>;

async function principalAt(send: Send, url: string, user: string): Promise<string | undefined> {
  const ex = await send('PROPFIND', url, PRINCIPAL_PROPS, { depth: '0' }, true);
  if (!ex.response) throw new CalspecError(`cannot reach ${url}: ${ex.error}`, EXIT.target);
  assertAuthorized(ex, user, url);
  if (ex.response.status !== 207) return undefined;
  try {
    const ms = parseMultistatus(ex.response.body);
    for (const response of ms.responses) {
      for (const name of ['{DAV:}current-user-principal', '{DAV:}principal-URL']) {
        const found = findProp(response, name);
        const href = found && found.status === 200 ? firstChild(found.prop, '{DAV:}href') : undefined;
        if (href) return deepText(href).trim();
      }
    }
  } catch {
    return undefined;
  }
  return undefined;
}

function assertAuthorized(ex: Exchange, user: string, url: string): void {
  if (ex.response?.status === 401) {
    throw new CalspecError(
      `authentication failed for user '${user}' at ${url} (401); check --user and the password`,
      EXIT.target,
    );
  }
}

function tokens(header: string | undefined): string[] {
  return (header ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}
