// LOCK and UNLOCK (RFC 4918 §9.10-9.11). Unmapped URLs: outside calendar collections a LOCK creates
// an empty locked resource (§7.3, 201); inside a calendar collection it is refused with 409 because
// an empty body is not a calendar object resource (RFC 4791 §4.1) and lock-null resources are gone.
import { randomUUID } from 'node:crypto';
import { el, parseXml } from '../xml/index.js';
import { hasPrivilege, needPrivileges } from './acl.js';
import { DAV, davError, depthOf, header, textReply, xmlReply, type Ctx, type Reply } from './context.js';
import { checkIfHeader } from './ifheader.js';
import { MAX_TIMEOUT } from './limits.js';
import { lockTokenHeader, submittedTokens } from './lock-tokens.js';
import { activeLockEl, locksBelow, locksCovering, type Lock } from './locks.js';
import { isCollection, parentPath } from './store.js';

/** `Timeout: Second-600, Infinite` → the first acceptable value, capped at MAX_TIMEOUT. */
function timeoutOf(ctx: Ctx): number {
  for (const t of (header(ctx, 'timeout') ?? '').split(',').map((x) => x.trim().toLowerCase())) {
    if (t === 'infinite') return MAX_TIMEOUT;
    const m = /^second-(\d+)$/.exec(t);
    if (m) return Math.min(Math.max(Number(m[1]), 1), MAX_TIMEOUT);
  }
  return MAX_TIMEOUT;
}

function lockReply(status: number, lock: Lock, withToken: boolean): Reply {
  const body = el(DAV('prop'), [el(DAV('lockdiscovery'), [activeLockEl(lock)])]);
  return xmlReply(status, body, withToken ? { 'Lock-Token': `<${lock.token}>` } : {});
}

/** §9.10.2: a LOCK without a body refreshes the lock named in the If header. */
function refresh(ctx: Ctx): Reply {
  const tokens = submittedTokens(ctx);
  if (tokens.size === 0) return textReply(400, 'LOCK refresh needs an If header naming the lock token');
  const failed = checkIfHeader(ctx);
  if (failed) return failed;
  const lock = locksCovering(ctx.state, ctx.path).find((l) => tokens.has(l.token));
  if (!lock) return davError(ctx, 412, DAV('lock-token-matches-request-uri'));
  if (lock.user !== ctx.user) return needPrivileges(ctx, 'write');
  lock.timeout = timeoutOf(ctx);
  lock.expires = Date.now() + lock.timeout * 1000;
  return lockReply(200, lock, false);
}

export function handleLock(ctx: Ctx): Reply {
  const { store } = ctx.state;
  if (!ctx.body.trim()) return refresh(ctx);
  const info = parseXml(ctx.body);
  if (info.name !== DAV('lockinfo')) return textReply(400, 'Expected a DAV:lockinfo body');
  const scopeEl = info.children.find((c) => c.name === DAV('lockscope'))?.children[0]?.name;
  const typeEl = info.children.find((c) => c.name === DAV('locktype'))?.children[0]?.name;
  if (scopeEl !== DAV('exclusive') && scopeEl !== DAV('shared'))
    return textReply(400, 'lockscope must be exclusive or shared');
  if (typeEl !== DAV('write')) return textReply(422, 'Only write locks are supported');
  const depth = depthOf(ctx, 'infinity');
  if (depth !== '0' && depth !== 'infinity') return textReply(400, 'LOCK Depth must be 0 or infinity');
  const existing = store.get(ctx.path);
  const parent = store.get(parentPath(ctx.path) ?? '/');
  if (
    existing
      ? !hasPrivilege(ctx.state, ctx.user, existing.path, 'write-content')
      : !hasPrivilege(ctx.state, ctx.user, parentPath(ctx.path) ?? '/', 'bind')
  ) {
    return needPrivileges(ctx, existing ? 'write-content' : 'bind');
  }
  const failed = checkIfHeader(ctx);
  if (failed) return failed;
  const scope = scopeEl === DAV('exclusive') ? 'exclusive' : 'shared';
  // An exclusive lock conflicts with every other lock whose scope overlaps; shared ones only with exclusive ones.
  const overlapping = [
    ...locksCovering(ctx.state, ctx.path),
    ...(depth === 'infinity' ? locksBelow(ctx.state, ctx.path) : []),
  ];
  const conflict = overlapping.find((l) => scope === 'exclusive' || l.scope === 'exclusive');
  if (conflict) return davError(ctx, 423, el(DAV('no-conflicting-lock'), [el(DAV('href'), [conflict.root])]));
  let created = false;
  let root = existing?.path ?? ctx.path;
  if (!existing) {
    if (!parent || !isCollection(parent)) return textReply(409, 'Parent collection does not exist');
    if (parent.kind === 'calendar' || ctx.path.endsWith('/'))
      return textReply(409, 'Cannot lock an unmapped URL here: an empty resource is not a calendar object');
    root = store.putObject(ctx.path, '', 'application/octet-stream', parent.owner || ctx.user).resource.path;
    created = true;
  }
  const timeout = timeoutOf(ctx);
  const ownerInfo = info.children.find((c) => c.name === DAV('owner'));
  const lock: Lock = {
    token: `urn:uuid:${randomUUID()}`,
    root,
    depth: existing && isCollection(existing) ? depth : '0',
    scope,
    user: ctx.user,
    timeout,
    expires: Date.now() + timeout * 1000,
    ...(ownerInfo ? { ownerInfo } : {}),
  };
  ctx.state.locks.set(lock.token, lock);
  return lockReply(created ? 201 : 200, lock, true);
}

export function handleUnlock(ctx: Ctx): Reply {
  const token = lockTokenHeader(ctx);
  if (token === undefined) return textReply(400, 'UNLOCK needs a Lock-Token header');
  if (!ctx.state.store.get(ctx.path)) return textReply(404, 'Not Found');
  const lock = locksCovering(ctx.state, ctx.path).find((l) => l.token === token);
  // §9.11.1: the token must identify a lock whose scope includes the request-URI.
  if (!lock) return davError(ctx, 409, DAV('lock-token-matches-request-uri'));
  // RFC 3744 §3.5: only the lock's creator, or whoever holds DAV:unlock (the owner), may remove it.
  if (lock.user !== ctx.user && !hasPrivilege(ctx.state, ctx.user, lock.root, 'unlock'))
    return needPrivileges(ctx, 'unlock');
  ctx.state.locks.delete(lock.token);
  return { status: 204 };
}
