// In shared-calendar mode the calendar may hold the user's own data and other scenarios' objects,
// so checks over the responses of a multistatus judge only the scenario's own there: inside the
// shared calendar, a response counts only when its last path segment starts with the scenario's
// object prefix (or it is the request URL or the calendar itself). Responses for anything outside
// the shared calendar are kept, as in a run with a calendar per scenario. The rest is dropped
// before any check looks at the body, so it is never judged either way.
import { hrefPath, sameHref } from '../xml/href.js';
import { deepText, type XmlElement } from '../xml/element.js';

export interface ObjectScope {
  /** Name prefix of the scenario's objects and collections, `calspec-<runid>-<token>-`. */
  objectPrefix: string;
  /** The shared calendar (path ending with /): the only place foreign objects can be. */
  calendar: string;
}

const MULTISTATUS = '{DAV:}multistatus';
const RESPONSE = '{DAV:}response';
const HREF = '{DAV:}href';

/** Is this href one a check may judge: not someone else's object in the shared calendar? */
export function inScope(href: string, scope: ObjectScope, requestUrl: string, baseUrl: string): boolean {
  if (sameHref(href, requestUrl, baseUrl) || sameHref(href, scope.calendar, baseUrl)) return true;
  const path = hrefPath(href, baseUrl);
  const calendar = hrefPath(scope.calendar, baseUrl);
  if (!path.startsWith(calendar.endsWith('/') ? calendar : `${calendar}/`)) return true;
  const rest = path.slice(path.startsWith(calendar) ? calendar.length : 0).replace(/^\/+/, '');
  return rest.startsWith(scope.objectPrefix);
}

/**
 * The multistatus document without the responses that are not in scope. Anything that is not a
 * DAV:multistatus is returned as it is. A response without any href cannot be foreign: it stays.
 */
export function scopeMultistatus(
  root: XmlElement,
  scope: ObjectScope,
  requestUrl: string,
  baseUrl: string,
): { root: XmlElement; dropped: number } {
  if (root.name !== MULTISTATUS) return { root, dropped: 0 };
  const children = root.children.filter((c) => {
    if (c.name !== RESPONSE) return true;
    const hrefs = c.children.filter((h) => h.name === HREF).map((h) => deepText(h).trim());
    return hrefs.length === 0 || hrefs.some((h) => inScope(h, scope, requestUrl, baseUrl));
  });
  return { root: { ...root, children }, dropped: root.children.length - children.length };
}
