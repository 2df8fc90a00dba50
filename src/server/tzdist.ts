// The time zone distribution service that CALDAV:timezone-service-set names (RFC 7809 §3.1.2 wants
// one behind every server that accepts zones by reference). A small, read-only subset of RFC 7808
// over the built-in zones: capabilities, list and get, unauthenticated like a public tzdist server.
import type { Reply } from './context.js';
import { BUILTIN_VTIMEZONES, calendarWithZone } from './tzdata.js';

/** Context path of the service; also what RFC 7808 §4.2.1's /.well-known/timezone redirects to. */
export const TZDIST_PATH = '/tzdist/';

/** Fixed: the built-in data never changes while the server runs. */
const DATA_VERSION = '2026-01-01T00:00:00Z';

function json(status: number, value: unknown, type = 'application/json'): Reply {
  return { status, headers: { 'Content-Type': `${type}; charset=utf-8` }, body: JSON.stringify(value) };
}

function problem(status: number, code: string, detail: string): Reply {
  return json(
    status,
    { type: `urn:ietf:params:tzdist:error:${code}`, title: code, status, detail },
    'application/problem+json',
  );
}

const CAPABILITIES = {
  version: 1,
  info: { 'primary-source': 'calspec built-in zones', formats: ['text/calendar'], contacts: [] },
  actions: [
    { name: 'capabilities', 'uri-template': '/capabilities', parameters: [] },
    { name: 'list', 'uri-template': '/zones', parameters: [] },
    { name: 'get', 'uri-template': '/zones{/tzid}', parameters: [] },
  ],
};

/** The reply for a tzdist request, or undefined when the request is not one (normal DAV routing). */
export function handleTzdist(method: string, path: string): Reply | undefined {
  if (method !== 'GET' && method !== 'HEAD') return undefined;
  if (path === '/.well-known/timezone' || path === '/.well-known/timezone/')
    return { status: 301, headers: { Location: TZDIST_PATH } };
  if (!path.startsWith(TZDIST_PATH)) return undefined;
  const action = path.slice(TZDIST_PATH.length);
  if (action === 'capabilities') return json(200, CAPABILITIES);
  if (action === 'zones') {
    const timezones = [...BUILTIN_VTIMEZONES.keys()].map((tzid) => ({ tzid, 'last-modified': DATA_VERSION }));
    return json(200, { synctoken: DATA_VERSION, timezones });
  }
  if (action.startsWith('zones/')) {
    const text = calendarWithZone(action.slice('zones/'.length));
    return text
      ? { status: 200, headers: { 'Content-Type': 'text/calendar; charset=utf-8' }, body: text }
      : problem(404, 'tzid-not-found', 'not a built-in zone');
  }
  return problem(404, 'invalid-action', 'unknown tzdist action');
}
