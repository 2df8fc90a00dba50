// MKCALENDAR (RFC 4791 §5.3.1) and MKCOL, plain or extended (RFC 5689). Initial properties are
// checked before anything is created, so a failed request leaves no collection behind.
import { el, parseXml, tryParseXml, type XmlElement } from '../xml/index.js';
import { hasPrivilege, needPrivileges } from './acl.js';
import { CAL, DAV, davError, textReply, xmlReply, type Ctx, type Reply } from './context.js';
import { assertUnlocked } from './locks.js';
import {
  applyUpdates,
  checkUpdate,
  readUpdates,
  updatePropstats,
  type PropFailure,
  type PropUpdate,
} from './proppatch.js';
import { isCollection, parentPath, type ResourceKind } from './store.js';

const KNOWN_COMPONENTS = ['VEVENT', 'VTODO', 'VJOURNAL', 'VFREEBUSY', 'VAVAILABILITY'];

function checkCreateUpdate(u: PropUpdate): PropFailure | undefined {
  if (u.prop.name === DAV('resourcetype')) return undefined; // extended MKCOL names the type this way
  if (u.prop.name === CAL('supported-calendar-component-set')) {
    const names = u.prop.children.filter((c) => c.name === CAL('comp')).map((c) => (c.attrs.name ?? '').toUpperCase());
    if (names.length === 0 || names.some((n) => !KNOWN_COMPONENTS.includes(n)))
      return { status: 403, error: el(CAL('supported-calendar-component')) };
  }
  return checkUpdate(u, true);
}

function create(ctx: Ctx, kind: ResourceKind, updates: PropUpdate[], responseName: string): Reply {
  const { store, faults } = ctx.state;
  const path = ctx.path.endsWith('/') ? ctx.path : ctx.path + '/';
  const parentP = parentPath(path) ?? '/';
  if (!hasPrivilege(ctx.state, ctx.user, parentP, 'bind')) return needPrivileges(ctx, 'bind', parentP);
  const existing = store.get(path);
  if (existing) {
    // Fault hook: the existing resource (and everything in it) silently replaced.
    if (kind === 'calendar' && faults.has('mkcalendar-overwrites')) store.remove(existing.path);
    // MKCOL: 405 (RFC 4918 §9.3.1); MKCALENDAR: a precondition failure, 403 (RFC 4791 §5.3.1.1).
    else return davError(ctx, ctx.method === 'MKCOL' ? 405 : 403, DAV('resource-must-be-null'));
  }
  const parent = store.get(parentPath(path) ?? '/');
  if (!parent || !isCollection(parent)) return textReply(409, 'Parent collection does not exist');
  // RFC 4791 §4.2: calendar collections contain no collections at any depth.
  if (parent.kind === 'calendar') return davError(ctx, 403, CAL('calendar-collection-location-ok'));
  const locked = assertUnlocked(ctx, [parent.path]);
  if (locked) return locked;
  const failures = new Map<PropUpdate, PropFailure>();
  for (const u of updates) {
    const f = checkCreateUpdate(u);
    if (f) failures.set(u, f);
  }
  if (failures.size > 0) {
    // Fault hook: a property that cannot be set (a precondition such as valid-calendar-data) ends in a 500.
    if (faults.has('precondition-500')) return textReply(500, 'Internal Server Error');
    // RFC 5689 §3 (also for MKCALENDAR, §4): the body holds the propstats directly, no DAV:response.
    const body = el(responseName, updatePropstats(updates, failures));
    return xmlReply(403, body);
  }
  // Fault hook: calendar creation (MKCALENDAR or extended MKCOL) acknowledged, nothing created.
  if (kind === 'calendar' && faults.has('mkcalendar-noop')) return { status: 201, headers: { 'Content-Length': '0' } };
  const r = store.create(path, kind, parent.owner || ctx.user);
  applyUpdates(
    r,
    updates.filter((u) => u.prop.name !== DAV('resourcetype')),
  );
  return { status: 201, headers: { 'Content-Length': '0' } };
}

function readSetProps(root: XmlElement): PropUpdate[] {
  return readUpdates(root).filter((u) => u.op === 'set');
}

/** RFC 4791 §5.3.1: MKCALENDAR responses must not be cached. */
export function handleMkcalendar(ctx: Ctx): Reply {
  const reply = mkcalendar(ctx);
  return { ...reply, headers: { ...reply.headers, 'Cache-Control': 'no-cache' } };
}

function mkcalendar(ctx: Ctx): Reply {
  // Google's CalDAV has no MKCALENDAR: calendars are created in its web UI or API.
  if (!ctx.state.layout.mkcalendarAllowed) return textReply(403, 'MKCALENDAR is not supported by this server');
  let updates: PropUpdate[] = [];
  if (ctx.body.trim()) {
    const root = parseXml(ctx.body);
    if (root.name !== CAL('mkcalendar')) return textReply(400, 'Expected a CALDAV:mkcalendar body');
    updates = readSetProps(root);
  }
  return create(ctx, 'calendar', updates, CAL('mkcalendar-response'));
}

export function handleMkcol(ctx: Ctx): Reply {
  let updates: PropUpdate[] = [];
  let kind: ResourceKind = 'collection';
  if (ctx.body.trim()) {
    const root = tryParseXml(ctx.body);
    // RFC 4918 §9.3: a body the server does not understand is 415.
    if (root?.name !== DAV('mkcol')) return textReply(415, 'Unsupported MKCOL body');
    updates = readSetProps(root);
    const type = updates.find((u) => u.prop.name === DAV('resourcetype'));
    // RFC 5689 §3: only plain collections and calendars can be made here.
    if (type?.prop.children.some((c) => c.name !== DAV('collection') && c.name !== CAL('calendar'))) {
      return davError(ctx, 403, DAV('valid-resourcetype'));
    }
    if (type?.prop.children.some((c) => c.name === CAL('calendar'))) {
      if (!ctx.state.layout.mkcalendarAllowed)
        return textReply(403, 'Calendar creation is not supported by this server');
      kind = 'calendar';
    }
  }
  return create(ctx, kind, updates, DAV('mkcol-response'));
}
