// COPY and MOVE (RFC 4918 §9.8-9.9) with the CalDAV preconditions on the destination
// (RFC 4791 §5.3.2.1 and §5.3.1.2: calendars cannot be nested inside calendars).
import { hrefPath } from '../xml/index.js';
import { canRead, hasPrivilege, isRootOfUser, needPrivileges } from './acl.js';
import { checkConditions } from './conditional.js';
import { CAL, davError, depthOf, header, textReply, type Ctx, type Reply } from './context.js';
import { assertUnlocked } from './locks.js';
import { admitToCalendar } from './objects.js';
import { isCollection, keyOf, parentPath, type Resource } from './store.js';

function destinationPath(ctx: Ctx): string | undefined {
  const raw = header(ctx, 'destination');
  if (!raw) return undefined;
  const host = header(ctx, 'host') ?? 'localhost';
  try {
    const url = new URL(raw, `http://${host}/`);
    if (url.host !== host) return undefined;
  } catch {
    return undefined;
  }
  return hrefPath(raw, `http://${host}/`);
}

function contains(outer: string, inner: string): boolean {
  const o = keyOf(outer);
  return keyOf(inner) === o || keyOf(inner).startsWith(o.endsWith('/') ? o : o + '/');
}

export function handleCopyMove(ctx: Ctx): Reply {
  const { store } = ctx.state;
  const move = ctx.method === 'MOVE';
  const source = store.get(ctx.path);
  if (!source) return textReply(404, 'Not Found');
  // Fault hook (partial-move): like Radicale and sabre/dav 1.8, decline some moves while moving
  // objects between calendars; RFC 4918 §9.9 does not promise every move.
  if (move && ctx.state.faults.has('partial-move')) {
    if (isCollection(source)) return textReply(405, 'Moving collections is not supported');
    const to = destinationPath(ctx);
    if (to && parentPath(to) === parentPath(source.path)) return textReply(403, 'Renaming is not supported');
  }
  if (!canRead(ctx.state, ctx.user, source.path)) return needPrivileges(ctx, 'read');
  const srcParent = parentPath(source.path) ?? '/';
  if (
    move &&
    (!hasPrivilege(ctx.state, ctx.user, srcParent, 'unbind') || isRootOfUser(ctx.state, ctx.user, source.path))
  )
    return needPrivileges(ctx, 'unbind', srcParent);
  let dest = destinationPath(ctx);
  if (!dest) return textReply(400, 'Missing or foreign Destination header');
  if (isCollection(source) && !dest.endsWith('/')) dest += '/';
  const destParent = parentPath(dest) ?? '/';
  if (!hasPrivilege(ctx.state, ctx.user, destParent, 'bind') || isRootOfUser(ctx.state, ctx.user, dest))
    return needPrivileges(ctx, 'bind', destParent);
  if (contains(source.path, dest) || contains(dest, source.path))
    return textReply(403, 'Source and destination overlap');
  const depth = depthOf(ctx, 'infinity');
  if (depth === 'invalid' || depth === '1' || (move && depth !== 'infinity'))
    return textReply(400, 'Invalid Depth for ' + ctx.method);
  const failed = checkConditions(ctx, source);
  if (failed) return failed;
  const existing = store.get(dest);
  const overwrite = (header(ctx, 'overwrite') ?? 'T').trim().toUpperCase() !== 'F';
  if (existing && !overwrite) return textReply(412, 'Destination exists and Overwrite is F');
  const parent = store.get(parentPath(dest) ?? '/');
  if (!parent || !isCollection(parent)) return textReply(409, 'Destination parent collection does not exist');
  const refused = calendarPreconditions(ctx, source, parent, dest, move);
  if (refused) return refused;
  // RFC 4918 §7.5-7.7: the moved source, its parent's membership and a replaced destination are protected.
  const locked = assertUnlocked(
    ctx,
    [destParent, ...(move ? [srcParent] : [])],
    [...(existing ? [existing.path] : []), ...(move ? [source.path] : [])],
  );
  if (locked) return locked;
  if (existing) store.remove(existing.path);
  if (depth === '0' && isCollection(source)) {
    const copy = store.create(dest, source.kind, parent.owner || ctx.user);
    if (source.components) copy.components = [...source.components];
    for (const [k, v] of source.props) copy.props.set(k, v);
  } else store.copyTree(source, dest);
  if (move) store.remove(source.path);
  return { status: existing ? 204 : 201 };
}

function calendarPreconditions(
  ctx: Ctx,
  source: Resource,
  parent: Resource,
  dest: string,
  move: boolean,
): Reply | undefined {
  if (parent.kind !== 'calendar') return undefined;
  if (isCollection(source)) return davError(ctx, 403, CAL('calendar-collection-location-ok'));
  const self = [dest, ...(move ? [source.path] : [])];
  const admitted = admitToCalendar(ctx, parent, source.body, source.contentType, self);
  return admitted.reply;
}
