// The lock table (RFC 4918 §6-7): write locks, exclusive or shared, depth 0 or infinity, with
// timeouts. Locks expire lazily and vanish with their root resource. Writes consult `assertUnlocked`:
// a lock covering a changed resource (or, for membership changes, its parent collection) must be
// named in the If header by the principal that created it, otherwise 423 + lock-token-submitted.
import { el, type XmlElement } from '../xml/index.js';
import { DAV, davError, hrefEl, type Ctx, type Reply, type ServerState } from './context.js';
import { submittedTokens } from './lock-tokens.js';
import { keyOf } from './store.js';

export interface Lock {
  token: string;
  /** Decoded path of the lock root. */
  root: string;
  depth: '0' | 'infinity';
  scope: 'exclusive' | 'shared';
  /** The client's DAV:owner element, returned verbatim in lockdiscovery. */
  ownerInfo?: XmlElement;
  /** The principal (user) that created the lock. */
  user: string;
  /** Seconds the lock was granted for. */
  timeout: number;
  expires: number;
}

function under(path: string, root: string): boolean {
  const k = keyOf(path);
  const r = keyOf(root);
  return k === r || k.startsWith(r === '/' ? '/' : r + '/');
}

/** Live locks: expired ones and those whose root resource was removed are dropped here. */
export function liveLocks(state: ServerState): Lock[] {
  const now = Date.now();
  for (const [t, l] of state.locks) if (l.expires <= now || !state.store.get(l.root)) state.locks.delete(t);
  return [...state.locks.values()];
}

/** Locks whose scope includes `path` (rooted there, or depth infinity on an ancestor). */
export function locksCovering(state: ServerState, path: string): Lock[] {
  return liveLocks(state).filter(
    (l) => keyOf(l.root) === keyOf(path) || (l.depth === 'infinity' && under(path, l.root)),
  );
}

/** Locks rooted strictly below `path` (a DELETE/MOVE of a collection affects them too). */
export function locksBelow(state: ServerState, path: string): Lock[] {
  return liveLocks(state).filter((l) => keyOf(l.root) !== keyOf(path) && under(l.root, path));
}

/**
 * 423 unless every lock protecting the change was submitted by its creator. `paths` are changed
 * resources (a parent collection counts when its membership changes); `deep` paths are removed
 * or replaced with everything below them.
 */
export function assertUnlocked(ctx: Ctx, paths: string[], deep: string[] = []): Reply | undefined {
  // Fault hook: locks are granted but never enforced.
  if (ctx.state.faults.has('lock-ignored')) return undefined;
  const submitted = submittedTokens(ctx);
  const relevant = [...paths, ...deep].flatMap((p) => locksCovering(ctx.state, p));
  for (const p of deep) relevant.push(...locksBelow(ctx.state, p));
  const blocking = relevant.find((l) => !(submitted.has(l.token) && l.user === ctx.user));
  if (!blocking) return undefined;
  return davError(ctx, 423, el(DAV('lock-token-submitted'), [hrefEl(blocking.root)]));
}

export function activeLockEl(l: Lock): XmlElement {
  return el(DAV('activelock'), [
    el(DAV('lockscope'), [el(DAV(l.scope))]),
    el(DAV('locktype'), [el(DAV('write'))]),
    el(DAV('depth'), [l.depth === '0' ? '0' : 'infinity']),
    ...(l.ownerInfo ? [l.ownerInfo] : []),
    el(DAV('timeout'), [`Second-${Math.max(0, Math.round((l.expires - Date.now()) / 1000))}`]),
    el(DAV('locktoken'), [el(DAV('href'), [l.token])]),
    el(DAV('lockroot'), [hrefEl(l.root)]),
  ]);
}

export function lockDiscovery(state: ServerState, path: string): XmlElement {
  return el(DAV('lockdiscovery'), locksCovering(state, path).map(activeLockEl));
}

export function supportedLock(): XmlElement {
  const entry = (scope: string) =>
    el(DAV('lockentry'), [el(DAV('lockscope'), [el(DAV(scope))]), el(DAV('locktype'), [el(DAV('write'))])]);
  return el(DAV('supportedlock'), [entry('exclusive'), entry('shared')]);
}
