// Minimal RFC 3744-style access rules. A user reads and writes below their own calendar home and
// principal. Other users' principals are readable (not writable) because discovery clients and
// scheduling look them up; other users' homes are not. The shared skeleton (/, /calendars/ ...)
// is readable so clients can walk down to their own resources; its listings are filtered.
import { el } from '../xml/index.js';
import { DAV, davError, type Ctx, type Reply, type ServerState } from './context.js';
import { keyOf } from './store.js';

function under(path: string, root: string): boolean {
  const k = keyOf(path);
  const r = keyOf(root);
  return k === r || k.startsWith(r.endsWith('/') ? r : r + '/');
}

function isPrincipalPath(state: ServerState, path: string): boolean {
  for (const u of state.users.keys()) if (keyOf(state.layout.principal(u)) === keyOf(path)) return true;
  return false;
}

export function canRead(state: ServerState, user: string, path: string): boolean {
  if (!user) return false;
  const { layout } = state;
  if (state.layout.skeleton.some((s) => keyOf(s) === keyOf(path))) return true;
  if (under(path, layout.home(user)) || under(path, layout.principal(user))) return true;
  return isPrincipalPath(state, path);
}

export function canWrite(state: ServerState, user: string, path: string): boolean {
  if (!user) return false;
  return under(path, state.layout.home(user)) || keyOf(path) === keyOf(state.layout.principal(user));
}

/** The user's own home or principal: existing but not deletable or replaceable. */
export function isRootOfUser(state: ServerState, user: string, path: string): boolean {
  return keyOf(path) === keyOf(state.layout.home(user)) || keyOf(path) === keyOf(state.layout.principal(user));
}

export function needPrivileges(ctx: Ctx, privilege: 'read' | 'write' | 'bind' | 'unbind'): Reply {
  return davError(ctx, 403, el(DAV('need-privileges'), [
    el(DAV('resource'), [el(DAV('href'), [ctx.path]), el(DAV('privilege'), [el(DAV(privilege))])]),
  ]));
}
