// The 207 Multi-Status model (RFC 4918 §13): each response keeps its propstats apart,
// each with its own status, because "found" and "not found" properties must not be merged.
import { childrenNamed, deepText, firstChild, NS, type XmlElement } from './element.js';
import { parseXml } from './parse.js';

export interface PropStat {
  /** Numeric status parsed from the status line, or null when it is missing or unparsable. */
  status: number | null;
  statusLine: string;
  /** The children of DAV:prop, each a property element. */
  props: XmlElement[];
  error?: XmlElement;
}

export interface MultistatusResponse {
  /** The first DAV:href, verbatim as the server sent it. */
  href: string;
  /** All DAV:href elements (a status-style response may carry several). */
  hrefs: string[];
  /** Response-level status (status-style responses), if present. */
  status: number | null;
  statusLine?: string;
  propstats: PropStat[];
  error?: XmlElement;
  location?: string;
}

export interface Multistatus {
  responses: MultistatusResponse[];
  /** RFC 6578 sync-token, verbatim. */
  syncToken?: string;
}

const DAV = (local: string) => `{${NS.dav}}${local}`;

export class MultistatusError extends Error {}

export function parseStatusLine(line: string): number | null {
  const match = /^\s*HTTP\/\d(?:\.\d)?\s+(\d{3})\b/.exec(line);
  return match ? Number(match[1]) : null;
}

export function parseMultistatus(body: string | XmlElement): Multistatus {
  const root = typeof body === 'string' ? parseXml(body) : body;
  if (root.name !== DAV('multistatus')) {
    throw new MultistatusError(`expected {DAV:}multistatus as root element, got ${root.name}`);
  }
  const responses = childrenNamed(root, DAV('response')).map(readResponse);
  const token = firstChild(root, DAV('sync-token'));
  return token ? { responses, syncToken: deepText(token).trim() } : { responses };
}

function readResponse(el: XmlElement): MultistatusResponse {
  const hrefs = childrenNamed(el, DAV('href')).map((h) => deepText(h).trim());
  const statusEl = firstChild(el, DAV('status'));
  const statusLine = statusEl ? deepText(statusEl).trim() : undefined;
  const location = firstChild(el, DAV('location'));
  const error = firstChild(el, DAV('error'));
  const response: MultistatusResponse = {
    href: hrefs[0] ?? '',
    hrefs,
    status: statusLine ? parseStatusLine(statusLine) : null,
    propstats: childrenNamed(el, DAV('propstat')).map(readPropstat),
  };
  if (statusLine) response.statusLine = statusLine;
  if (error) response.error = error;
  if (location) {
    const href = firstChild(location, DAV('href'));
    if (href) response.location = deepText(href).trim();
  }
  return response;
}

function readPropstat(el: XmlElement): PropStat {
  const statusEl = firstChild(el, DAV('status'));
  const statusLine = statusEl ? deepText(statusEl).trim() : '';
  const prop = firstChild(el, DAV('prop'));
  const error = firstChild(el, DAV('error'));
  const stat: PropStat = { status: parseStatusLine(statusLine), statusLine, props: prop ? prop.children : [] };
  if (error) stat.error = error;
  return stat;
}

/** Find a property in a response: the first propstat holding it, with that propstat's status. */
export function findProp(
  response: MultistatusResponse,
  name: string,
): { prop: XmlElement; status: number | null } | undefined {
  for (const ps of response.propstats) {
    const prop = ps.props.find((p) => p.name === name);
    if (prop) return { prop, status: ps.status };
  }
  return undefined;
}
