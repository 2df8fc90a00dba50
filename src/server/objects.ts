// GET / HEAD / PUT / DELETE of resources (RFC 4918 §9.4-9.7, RFC 4791 §5.3.2-5.3.4).
import { el } from '../xml/index.js';
import { canRead, hasPrivilege, isRootOfUser, needPrivileges } from './acl.js';
import { checkConditions } from './conditional.js';
import { CAL, componentSet, davError, depthOf, header, hrefEl, textReply, type Ctx, type Reply } from './context.js';
import { assertUnlocked } from './locks.js';
import { newScheduleTag, scheduleOnDelete, scheduleOnPut } from './schedule.js';
import { baseName, isCollection, parentPath, type Resource } from './store.js';
import { servedBody } from './tzref.js';
import { isCalendarMediaType, validateCalendarObject } from './validate-ical.js';

function etagHeaders(ctx: Ctx, r: Resource): Record<string, string> {
  const h: Record<string, string> = { 'Last-Modified': r.modified.toUTCString() };
  // Fault hook: entity tags withheld from clients.
  if (!ctx.state.faults.has('etag-missing') && r.etag) h.ETag = r.etag;
  if (r.scheduleTag) h['Schedule-Tag'] = r.scheduleTag;
  return h;
}

export function handleGet(ctx: Ctx): Reply {
  const r = ctx.state.store.get(ctx.path);
  if (!r) return textReply(404, 'Not Found');
  if (!canRead(ctx.state, ctx.user, r.path)) return needPrivileges(ctx, 'read');
  const failed = checkConditions(ctx, r);
  if (failed) return failed;
  if (isCollection(r)) {
    const names = ctx.state.store.members(r).map((m) => baseName(m.path) + (isCollection(m) ? '/' : ''));
    return textReply(200, [`Collection ${r.path}`, ...names].join('\n'));
  }
  const headers = { 'Content-Type': r.contentType, ...etagHeaders(ctx, r) };
  if (!isCalendarMediaType(r.contentType)) return { status: 200, headers, body: r.body };
  // RFC 7809 §3.1.3: which VTIMEZONEs go out depends on the request's CalDAV-Timezones header.
  const body = servedBody(ctx, r);
  // Fault hook: a re-serialiser that never folds (every content line on one physical line).
  const served = ctx.state.faults.has('ical-lines-unfolded') ? body.replace(/\r?\n[ \t]/g, '') : body;
  return { status: 200, headers: { ...headers, Vary: 'CalDAV-Timezones' }, body: served };
}

/**
 * Check a calendar object body against a destination calendar collection (PUT, COPY, MOVE).
 * `self` is the path the body will replace or is moving from (its UID is not a conflict).
 */
export function admitToCalendar(
  ctx: Ctx,
  calendar: Resource,
  body: string,
  contentType: string | undefined,
  self: string[],
): { reply?: Reply; uid?: string } {
  // Fault hook: anything is stored, valid iCalendar or not.
  if (ctx.state.faults.has('accept-invalid-ical')) {
    const uid = /^UID:(.*)$/m.exec(body)?.[1]?.trim();
    return uid ? { uid } : {};
  }
  const v = validateCalendarObject(body, contentType, componentSet(ctx, calendar));
  if (!v.ok) return { reply: davError(ctx, 403, CAL(v.condition)) };
  if (!ctx.state.faults.has('uid-conflict-allowed')) {
    const clash = ctx.state.store.members(calendar).find((m) => m.uid === v.uid && !self.includes(m.path));
    if (clash) return { reply: davError(ctx, 403, el(CAL('no-uid-conflict'), [hrefEl(clash.path)])) };
    // §5.3.2.1 also forbids overwriting an object that has a different UID (self[0] is the target).
    const target = ctx.state.store.get(self[0] ?? '');
    if (target?.uid && target.uid !== v.uid)
      return { reply: davError(ctx, 403, el(CAL('no-uid-conflict'), [hrefEl(target.path)])) };
  }
  return { uid: v.uid };
}

/** Fault hook (mkcalendar-noop): a PUT into a collection that does not exist is filed in the user's home. */
function misfiled(ctx: Ctx): Ctx {
  const parent = ctx.state.store.get(parentPath(ctx.path) ?? '/');
  if (parent || !ctx.state.faults.has('mkcalendar-noop') || !ctx.user || ctx.path.endsWith('/')) return ctx;
  return { ...ctx, path: ctx.state.layout.home(ctx.user) + baseName(ctx.path) };
}

export function handlePut(request: Ctx): Reply {
  const reply = put(misfiled(request));
  // Fault hook: the object is stored (or replaced) but the answer says the request failed.
  if (reply.status < 300 && request.state.faults.has('put-stores-on-400'))
    return textReply(400, 'Bad Request (but stored)');
  return reply;
}

function put(ctx: Ctx): Reply {
  const { store, faults } = ctx.state;
  const existing = store.get(ctx.path);
  const parentP = parentPath(ctx.path) ?? '/';
  // RFC 3744 §3.3/§3.9: replacing content needs write-content, creating a member bind on the parent.
  if (
    existing
      ? !hasPrivilege(ctx.state, ctx.user, ctx.path, 'write-content')
      : !hasPrivilege(ctx.state, ctx.user, parentP, 'bind')
  ) {
    return existing ? needPrivileges(ctx, 'write-content') : needPrivileges(ctx, 'bind', parentP);
  }
  if ((existing && isCollection(existing)) || ctx.path.endsWith('/'))
    return textReply(405, 'PUT on a collection is not allowed', {
      Allow: 'GET, HEAD, PROPFIND, PROPPATCH, DELETE, MKCOL, MKCALENDAR',
    });
  const parent = store.get(parentP);
  if (!parent || !isCollection(parent)) return textReply(409, 'Parent collection does not exist');
  if (parent.kind === 'inbox' || parent.kind === 'outbox')
    return textReply(403, 'Scheduling collections are filled by the server');
  const failed = checkConditions(ctx, existing);
  if (failed) return failed;
  const locked = assertUnlocked(ctx, existing ? [ctx.path] : [ctx.path, parent.path]);
  if (locked) return locked;
  const contentType = header(ctx, 'content-type');
  let uid: string | undefined;
  if (parent.kind === 'calendar') {
    const admitted = admitToCalendar(ctx, parent, ctx.body, contentType, [ctx.path]);
    if (admitted.reply) return admitted.reply;
    uid = admitted.uid;
  }
  // Fault hook: creation acknowledged (201, an ETag) but nothing stored, so later reads miss it.
  if (!existing && parent.kind === 'calendar' && faults.has('put-not-stored'))
    return { status: 201, headers: { ETag: '"not-stored"' } };
  let stored = contentType ?? 'application/octet-stream';
  if (parent.kind === 'calendar' && !/charset=/i.test(stored)) stored = 'text/calendar; charset=utf-8';
  const owner = parent.owner || ctx.user;
  const sched =
    parent.kind === 'calendar'
      ? scheduleOnPut(ctx.state, owner, ctx.body, existing?.body)
      : { body: ctx.body, scheduling: false };
  const { resource, created } = store.putObject(ctx.path, sched.body, stored, owner, uid);
  // RFC 6638 §3.2.10: every client write of a scheduling object resource mints a new Schedule-Tag.
  if (sched.scheduling) resource.scheduleTag = newScheduleTag();
  else delete resource.scheduleTag;
  // Fault hook: "200 OK" where RFC 7231 requires 201 Created.
  const status = created ? (faults.has('status-200-on-create') ? 200 : 201) : 204;
  const headers = etagHeaders(ctx, resource);
  // RFC 4791 §5.3.4: no strong ETag when what was stored differs from what was sent.
  if (sched.body !== ctx.body) delete headers.ETag;
  return { status, headers };
}

export function handleDelete(ctx: Ctx): Reply {
  const { store } = ctx.state;
  const r = store.get(ctx.path);
  if (!r) return textReply(404, 'Not Found');
  const parentP = parentPath(r.path) ?? '/';
  if (!hasPrivilege(ctx.state, ctx.user, parentP, 'unbind') || isRootOfUser(ctx.state, ctx.user, r.path))
    return needPrivileges(ctx, 'unbind', parentP);
  // RFC 4918 §9.6.1: DELETE on a collection acts as Depth: infinity, and only that is allowed.
  if (isCollection(r) && depthOf(ctx, 'infinity') !== 'infinity')
    return textReply(400, 'DELETE of a collection requires Depth: infinity');
  const failed = checkConditions(ctx, r);
  if (failed) return failed;
  const locked = assertUnlocked(ctx, [parentP], [r.path]);
  if (locked) return locked;
  if (r.kind === 'object' && store.parentOf(r)?.kind === 'calendar') scheduleOnDelete(ctx.state, r.owner, r.body);
  store.remove(r.path);
  return { status: 204 };
}
