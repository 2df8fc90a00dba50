// The run's sandbox and its ledger. Every resource a request may create (PUT target, COPY/MOVE
// Destination, MKCOL/MKCALENDAR) is recorded before the request goes out, because an error answer
// or no answer at all does not prove that nothing was created. Cleanup then removes exactly what
// was recorded and looks again, and at the end of a run everything named after the run that is
// still in the home or its calendars (a server may store an object somewhere else) goes too.
// Names carry the run id so leftovers from a killed run are recognisable (`calspec cleanup`).
import type { CleanupRecord } from '../model/result.js';
import { hrefPath } from '../xml/href.js';
import type { Authenticator } from './auth.js';
import type { DavClient } from './http.js';
import { findLeftovers } from './leftovers.js';
import { sweepAccount, type AccountRef } from './account-sweep.js';
import { removeVerified } from './presence.js';
import { SANDBOX_PREFIX } from './run-id.js';
import { purgeTrashed } from './trash-purge.js';

export { newRunId, SANDBOX_PREFIX } from './run-id.js';

const WRITE_METHODS = new Set([
  'PUT',
  'DELETE',
  'MKCALENDAR',
  'MKCOL',
  'PROPPATCH',
  'COPY',
  'MOVE',
  'LOCK',
  'UNLOCK',
  'ACL',
]);

/** Requests that may leave a new resource behind (at the request-URI or at the Destination). */
const CREATING = new Set(['PUT', 'MKCALENDAR', 'MKCOL', 'COPY', 'MOVE']);

interface Tracked {
  path: string;
  auth: Authenticator | undefined;
  /** Which scenario created it, so parallel scenarios clean up only their own. */
  owner: string;
  /** A step's own DELETE answered 2xx: only to be verified gone. */
  deleted?: boolean;
  /** A step MOVEd it away: absent afterwards proves nothing about a no-op creation. */
  moved?: boolean;
}

export class Sandbox {
  readonly #tracked: Tracked[] = [];
  readonly record: CleanupRecord = { created: [], removed: [], leftover: [] };
  /** Every test user's account: its holder verifies removals there that another user's look cannot. */
  accounts: AccountRef[] = [];
  /** Scenarios that schedule ran: the final sweep looks in every account for copies (by UID). */
  sweepScheduling = false;

  /** @param roots absolute paths of the run's name prefix under each user's home, e.g. `/cal/test/calspec-<runid>` */
  constructor(
    readonly client: DavClient,
    readonly baseUrl: string,
    readonly roots: string[],
    readonly sharedCalendar?: string,
  ) {}

  /** Is a write to this path allowed? Only inside what this run owns. */
  allows(method: string, path: string): boolean {
    if (!WRITE_METHODS.has(method.toUpperCase())) return true;
    const p = hrefPath(path, this.baseUrl);
    if (this.roots.some((root) => p.startsWith(root))) return true;
    return this.#tracked.some((t) => t.path === p) || this.#runNamedInSharedCalendar(p);
  }

  /**
   * Shared-calendar mode: inside the given calendar only names that start with this run's prefix
   * (`calspec-<runid>-`) are writable; never the calendar itself, nor the user's objects, nor another run's.
   */
  #runNamedInSharedCalendar(p: string): boolean {
    const cal = this.sharedCalendar;
    if (cal === undefined || !p.startsWith(cal)) return false;
    const name = p.slice(cal.length);
    return this.roots.some((root) => name.startsWith(`${root.slice(root.lastIndexOf('/') + 1)}-`));
  }

  isTracked(path: string): boolean {
    const p = hrefPath(path, this.baseUrl);
    return this.#tracked.some((t) => p === t.path || (t.path.endsWith('/') && p.startsWith(t.path)));
  }

  /**
   * Record what a request is about to create, before it is sent. Objects inside a recorded
   * collection are recorded too: if the collection's DELETE turns out to be a no-op they are
   * checked one by one.
   */
  note(method: string, url: string, destination: string | undefined, auth: Authenticator | undefined, owner: string) {
    const m = method.toUpperCase();
    if (!CREATING.has(m)) return;
    if (m === 'MOVE') {
      const p = hrefPath(url, this.baseUrl);
      const source = this.#tracked.find((t) => t.path === p || t.path === `${p}/`);
      if (source) source.moved = true;
    }
    const target = m === 'COPY' || m === 'MOVE' ? destination : url;
    if (target) this.#add(hrefPath(target, this.baseUrl), auth, owner);
  }

  /** Note something the run created (after the fact; `note` before sending is the rule). */
  track(path: string, auth: Authenticator, owner: string): void {
    this.#add(hrefPath(path, this.baseUrl), auth, owner);
  }

  #add(p: string, auth: Authenticator | undefined, owner: string): void {
    const known = this.#tracked.find((t) => t.path === p);
    if (known) {
      // Written again after a step deleted it: it may exist once more.
      delete known.deleted;
      return;
    }
    this.#tracked.push({ path: p, auth, owner });
    this.record.created.push(p);
    for (const root of this.roots) {
      const home = root.slice(0, root.lastIndexOf('/') + 1);
      if (auth && p.startsWith(home) && !this.#authFor.has(home)) this.#authFor.set(home, auth);
    }
  }

  /** A step deleted something itself (2xx): it stays in the ledger until verified gone. */
  forget(path: string): void {
    const p = hrefPath(path, this.baseUrl);
    const item = this.#tracked.find((t) => t.path === p || t.path === `${p}/`);
    if (item) item.deleted = true;
  }

  /**
   * Remove what one owner created (or everything, and then sweep the homes for anything else named
   * after this run), verifying each is gone, within a time budget. Collections go first, outermost
   * first; an object inside a collection that was deleted (2xx) and is verified gone needs nothing
   * more, any other object is looked up and deleted on its own.
   */
  async remove(owner?: string, deadline = Date.now() + 30_000): Promise<void> {
    const mine = this.#tracked.filter((t) => owner === undefined || t.owner === owner);
    const collections = mine.filter((t) => t.path.endsWith('/')).sort((a, b) => a.path.length - b.path.length);
    const objects = mine.filter((t) => !t.path.endsWith('/')).reverse();
    const cleared: string[] = [];
    // Collections that were not there to delete: what was written into them may be anywhere.
    const phantom: string[] = [];
    for (const item of [...collections, ...objects]) {
      if (cleared.some((c) => item.path.startsWith(c))) {
        this.#settle(item, true);
        continue;
      }
      const name = item.path.slice(item.path.lastIndexOf('/') + 1);
      if (!item.path.endsWith('/') && phantom.some((c) => item.path.startsWith(c)) && !name.startsWith(SANDBOX_PREFIX))
        (this.record.unaccounted ??= []).push(item.path);
      if (Date.now() > deadline) {
        this.#settle(item, false);
        continue;
      }
      const url = new URL(encodeURI(item.path), this.baseUrl).toString();
      const checkFirst = item.deleted || !item.path.endsWith('/');
      const holder = this.accounts.find((a) => item.path.startsWith(hrefPath(a.home, this.baseUrl)))?.auth;
      const opts = { checkFirst, deadline, ...(holder ? { owner: holder } : {}) };
      const r = await removeVerified(this.client, url, item.auth, opts);
      // A collection MOVEd away is no phantom: what was in it went along (or is looked up one by one).
      if (r.gone && item.path.endsWith('/') && !item.moved)
        (r.deleted || item.deleted ? cleared : phantom).push(item.path);
      this.#settle(item, r.gone);
    }
    if (owner === undefined) await this.#sweep(deadline);
  }

  /** Anything else named after this run in a home (or its calendars) where the run wrote. */
  async #sweep(deadline: number): Promise<void> {
    for (const root of this.roots) {
      const slash = root.lastIndexOf('/');
      const home = root.slice(0, slash + 1);
      const runId = root.slice(slash + 1 + SANDBOX_PREFIX.length);
      const auth = this.#authFor.get(home);
      if (!auth || !runId || Date.now() > deadline) continue;
      const calendars = this.sharedCalendar ? [this.sharedCalendar] : [];
      const found = await findLeftovers(this.client, this.baseUrl, home, auth, { runId, calendars }).catch(() => []);
      for (const item of found) {
        // Already tried (and reported) by the ledger pass.
        if (this.record.leftover.includes(item.path)) continue;
        if (!this.record.created.includes(item.path)) this.record.created.push(item.path);
        const url = new URL(encodeURI(item.path), this.baseUrl).toString();
        const r = Date.now() > deadline ? undefined : await removeVerified(this.client, url, auth, { deadline });
        (r?.gone ? this.record.removed : this.record.leftover).push(item.path);
      }
    }
    // Scheduling copies (another user's inbox and calendar, server-chosen names) carry the run's UIDs.
    const runId = this.roots[0]?.slice(this.roots[0].lastIndexOf('/') + 1);
    for (const account of runId && this.sweepScheduling ? this.accounts : []) {
      if (Date.now() > deadline) break;
      const swept = await sweepAccount(this.client, this.baseUrl, account, `${runId}-`, deadline).catch(() => ({
        removed: [],
        failed: [],
      }));
      for (const p of [...swept.removed, ...swept.failed.map((f) => f.path)])
        if (!this.record.created.includes(p)) this.record.created.push(p);
      this.record.removed.push(...swept.removed);
      // The ledger pass may already have reported one (an object of the run's written into a calendar).
      this.record.leftover.push(...swept.failed.map((f) => f.path).filter((p) => !this.record.leftover.includes(p)));
      // A server with an object trash bin (profile trashCollection) still holds what was deleted.
      await purgeTrashed(this.client, this.baseUrl, account, `${runId}-`, deadline).catch(() => []);
    }
    // What the scenarios' own sweeps removed (scheduling copies) was created by the run too.
    for (const p of this.record.removed) if (!this.record.created.includes(p)) this.record.created.push(p);
  }

  /** The credentials used under each home, remembered for the final sweep. */
  readonly #authFor = new Map<string, Authenticator>();

  #settle(item: Tracked, gone: boolean): void {
    // Untracked only now: while its DELETE is in flight it is still pending (a second Ctrl-C lists it).
    const i = this.#tracked.indexOf(item);
    if (i >= 0) this.#tracked.splice(i, 1);
    (gone ? this.record.removed : this.record.leftover).push(item.path);
  }

  size(): number {
    return this.#tracked.length;
  }

  /** What may still be on the server: what a step deleted, and members of a listed collection, left out. */
  pending(): string[] {
    const live = this.#tracked.filter((t) => !t.deleted).map((t) => t.path);
    return live.filter((p) => !live.some((c) => c !== p && c.endsWith('/') && p.startsWith(c)));
  }
}
