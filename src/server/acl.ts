// RFC 3744 access control as CalDAV uses it. Every user holds DAV:all below their own calendar home
// and principal (a protected ACE the ACL method cannot remove). Other users' principals are readable
// (discovery and scheduling look them up); the shared skeleton (/, /calendars/ ...) is readable so
// clients can walk down, with listings filtered. Anything else needs a grant: ACEs set with the ACL
// method on a resource apply to it and, inherited, to everything below it.
import { el } from '../xml/index.js';
import { CAL, DAV, davError, hrefEl, type Ctx, type Reply, type ServerState } from './context.js';
import { keyOf, parentPath } from './store.js';

/** Aggregation tree (RFC 3744 §3.12, RFC 4791 §6.1.1, RFC 6638 §6): parent → directly contained. */
export const AGGREGATES: Readonly<Record<string, string[]>> = {
  [DAV('all')]: [
    DAV('read'),
    DAV('write'),
    DAV('read-acl'),
    DAV('write-acl'),
    DAV('read-current-user-privilege-set'),
    DAV('unlock'),
    CAL('schedule-send'),
    CAL('schedule-deliver'),
  ],
  [DAV('read')]: [CAL('read-free-busy')],
  [DAV('write')]: [DAV('write-properties'), DAV('write-content'), DAV('bind'), DAV('unbind')],
};

export const SUPPORTED_PRIVILEGES: ReadonlySet<string> = new Set([DAV('all'), ...Object.values(AGGREGATES).flat()]);

/** A privilege with everything it aggregates. */
export function expand(priv: string, into = new Set<string>()): Set<string> {
  into.add(priv);
  for (const p of AGGREGATES[priv] ?? []) expand(p, into);
  return into;
}

function under(path: string, root: string): boolean {
  const k = keyOf(path);
  const r = keyOf(root);
  return k === r || k.startsWith(r.endsWith('/') ? r : r + '/');
}

function isPrincipalPath(state: ServerState, path: string): boolean {
  for (const u of state.users.keys()) if (keyOf(state.layout.principal(u)) === keyOf(path)) return true;
  return false;
}

/** User name owning the home or principal `path` lies in, if any. */
export function homeOwner(state: ServerState, path: string): string | undefined {
  for (const u of state.users.keys())
    if (under(path, state.layout.home(u)) || under(path, state.layout.principal(u))) return u;
  return undefined;
}

/** Every privilege (aggregates expanded) `user` holds on `path`, which need not exist. */
export function privilegesOf(state: ServerState, user: string, path: string): Set<string> {
  const out = new Set<string>();
  if (!user) return out;
  if (homeOwner(state, path) === user) {
    const own = expand(DAV('all'));
    // Fault hook (acl-read-only): the owner lacks DAV:write-acl (so DAV:all too), a read-only ACL.
    if (state.faults.has('acl-read-only')) for (const p of [DAV('all'), DAV('write-acl')]) own.delete(p);
    return own;
  }
  if (state.layout.skeleton.some((s) => keyOf(s) === keyOf(path)) || isPrincipalPath(state, path)) {
    return new Set([...expand(DAV('read')), DAV('read-current-user-privilege-set')]);
  }
  // Grants on the resource and inherited from its ancestors.
  for (let p: string | undefined = path; p !== undefined; p = parentPath(p)) {
    for (const ace of state.store.get(p)?.aces ?? []) {
      if (ace.principal !== user && ace.principal !== '*') continue;
      // Fault hook: any grant is treated as DAV:all, so a read-only share is writable.
      for (const g of ace.grant) expand(state.faults.has('acl-not-enforced') ? DAV('all') : g, out);
    }
  }
  return out;
}

/** `priv` as a local DAV: name ('read') or a Clark name. */
export function hasPrivilege(state: ServerState, user: string, path: string, priv: string): boolean {
  return privilegesOf(state, user, path).has(priv.startsWith('{') ? priv : DAV(priv));
}

export function canRead(state: ServerState, user: string, path: string): boolean {
  return hasPrivilege(state, user, path, 'read');
}

export function canWrite(state: ServerState, user: string, path: string): boolean {
  return hasPrivilege(state, user, path, 'write');
}

/** The user's own home, principal, inbox or outbox: existing but not deletable or replaceable. */
export function isRootOfUser(state: ServerState, user: string, path: string): boolean {
  const { layout } = state;
  return [layout.home(user), layout.principal(user), layout.inbox(user), layout.outbox(user)].some(
    (p) => keyOf(p) === keyOf(path),
  );
}

/** 403 with DAV:need-privileges (RFC 3744 §7.1.1) naming `path` (default: the request-URI). */
export function needPrivileges(ctx: Ctx, privilege: string, path = ctx.path): Reply {
  const name = privilege.startsWith('{') ? privilege : DAV(privilege);
  return davError(
    ctx,
    403,
    el(DAV('need-privileges'), [el(DAV('resource'), [hrefEl(path), el(DAV('privilege'), [el(name)])])]),
  );
}
