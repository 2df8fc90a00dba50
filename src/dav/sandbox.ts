// The run's sandbox: every collection or resource the run creates is tracked per request, and
// cleanup removes exactly those, never anything else. Names carry the run id so leftovers from a
// killed run are recognisable (`calspec cleanup`).
import type { CleanupRecord } from '../model/result.js';
import { hrefPath } from '../xml/href.js';
import type { Authenticator } from './auth.js';
import type { DavClient } from './http.js';

export const SANDBOX_PREFIX = 'calspec-';

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

export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${Math.random().toString(36).slice(2, 6)}`;
}

interface Tracked {
  path: string;
  auth: Authenticator;
  /** Which scenario created it, so parallel scenarios clean up only their own. */
  owner: string;
}

export class Sandbox {
  readonly #tracked: Tracked[] = [];
  readonly record: CleanupRecord = { created: [], removed: [], leftover: [] };

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
    // In shared-calendar mode (no MKCALENDAR), objects this run created may be modified too.
    return (
      this.#tracked.some((t) => t.path === p) ||
      (this.sharedCalendar !== undefined && p.startsWith(this.sharedCalendar) && p.includes(SANDBOX_PREFIX))
    );
  }

  isTracked(path: string): boolean {
    const p = hrefPath(path, this.baseUrl);
    return this.#tracked.some((t) => p === t.path || (t.path.endsWith('/') && p.startsWith(t.path)));
  }

  /** Note something the run created (unless it lies inside something already tracked). */
  track(path: string, auth: Authenticator, owner: string): void {
    const p = hrefPath(path, this.baseUrl);
    if (this.isTracked(p)) return;
    this.#tracked.push({ path: p, auth, owner });
    this.record.created.push(p);
  }

  /** A step deleted something itself. */
  forget(path: string): void {
    const p = hrefPath(path, this.baseUrl);
    const i = this.#tracked.findIndex((t) => t.path === p || t.path === `${p}/`);
    if (i >= 0) {
      this.record.removed.push(this.#tracked[i]!.path);
      this.#tracked.splice(i, 1);
    }
  }

  /** Remove what one owner created (or everything), newest first, within a time budget. */
  async remove(owner?: string, deadline = Date.now() + 30_000): Promise<void> {
    const mine = this.#tracked.filter((t) => owner === undefined || t.owner === owner).reverse();
    for (const item of mine) {
      if (Date.now() > deadline) {
        this.#untrack(item);
        this.record.leftover.push(item.path);
        continue;
      }
      const url = new URL(encodeURI(item.path), this.baseUrl).toString();
      let ex = await this.client.send({ method: 'DELETE', url, auth: item.auth });
      // A server hiccup (5xx, reset) must not leave data behind: retry twice, briefly.
      for (let retry = 0; retry < 2 && (!ex.response || ex.response.status >= 500) && Date.now() < deadline; retry++) {
        await new Promise((resolve) => setTimeout(resolve, 200 * (retry + 1)));
        ex = await this.client.send({ method: 'DELETE', url, auth: item.auth });
      }
      // Untracked only now: while its DELETE is in flight it is still pending (a second Ctrl-C lists it).
      this.#untrack(item);
      const status = ex.response?.status;
      if (status !== undefined && (status < 300 || status === 404)) this.record.removed.push(item.path);
      else this.record.leftover.push(item.path);
    }
  }

  #untrack(item: Tracked): void {
    const i = this.#tracked.indexOf(item);
    if (i >= 0) this.#tracked.splice(i, 1);
  }

  size(): number {
    return this.#tracked.length;
  }

  pending(): string[] {
    return this.#tracked.map((t) => t.path);
  }
}
