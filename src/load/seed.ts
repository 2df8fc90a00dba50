// Seeding: sandbox calendars `calspec-<runid>-u<v>-c<m>/` under each account's home, filled with
// generated events in parallel (progress on stderr). Virtual users map round-robin onto the
// accounts given, so a workload asking for 10 users runs against a server with two accounts.
// Seeding is not measured, so it uses the recording DavClient; the hot path does not.
import { CalspecError, EXIT } from '../model/exit-codes.js';
import { Authenticator, type Credentials } from '../dav/auth.js';
import { discover } from '../dav/bootstrap.js';
import { DavClient } from '../dav/http.js';
import { Sandbox } from '../dav/sandbox.js';
import { parseMultistatus } from '../xml/multistatus.js';
import { generateEvent } from './ical-gen.js';
import type { SeedPlan } from './workload.js';

export interface SeededCalendar {
  account: number;
  /** Absolute path, ends with '/'. */
  path: string;
  events: { name: string; occurrences: [number, number][] }[];
  /** Token after seeding, for incremental sync-collection; undefined when the server has none. */
  syncToken?: string;
}

export interface SeedResult {
  calendars: SeededCalendar[];
  homes: string[];
  sandbox: Sandbox;
  client: DavClient;
  syncSupported: boolean;
}

const MKCALENDAR = (name: string) =>
  `<?xml version="1.0" encoding="utf-8"?>
<c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">` +
  `<d:set><d:prop><d:displayname>${name}</d:displayname>
<c:supported-calendar-component-set><c:comp name="VEVENT"/>` +
  `</c:supported-calendar-component-set></d:prop></d:set></c:mkcalendar>`;

export const SYNC_INITIAL = (token = '') =>
  `<?xml version="1.0" encoding="utf-8"?>
<d:sync-collection xmlns:d="DAV:"><d:sync-token>${token}</d:sync-token>` +
  `<d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`;

export interface SeedOptions {
  target: string;
  accounts: Credentials[];
  plan: SeedPlan;
  /** `calspec-<runid>` or `calspec-<runid>-s<i>` for shards. */
  prefix: string;
  timeoutMs: number;
  tls?: { ca?: string; insecure?: boolean };
  signal: AbortSignal;
  progress?: (line: string) => void;
  /** Called as soon as there is something to clean up, so a failure half-way still cleans up. */
  onSandbox?: (partial: SeedResult) => void;
}

export async function seed(opts: SeedOptions): Promise<SeedResult> {
  const client = new DavClient({
    timeoutMs: opts.timeoutMs,
    connections: opts.plan.concurrency,
    userAgent: 'calspec-load',
    ...opts.tls,
  });
  const auths = opts.accounts.map((c) => new Authenticator(c));
  const homes: string[] = [];
  for (let i = 0; i < auths.length; i++)
    homes.push((await discover(client, opts.target, auths[i]!, opts.accounts[i]!.user)).home);
  const sandbox = new Sandbox(
    client,
    opts.target,
    homes.map((h) => `${h}${opts.prefix}`),
  );
  const result: SeedResult = { calendars: [], homes, sandbox, client, syncSupported: false };
  opts.onSandbox?.(result);
  const url = (path: string) => new URL(path, opts.target).toString();
  const { plan } = opts;
  for (let v = 0; v < plan.users; v++) {
    for (let m = 0; m < plan.calendars; m++) {
      const account = v % auths.length;
      const path = `${homes[account]}${opts.prefix}-u${v}-c${m}/`;
      if (opts.signal.aborted) return result;
      const ex = await client.send({
        method: 'MKCALENDAR',
        url: url(path),
        body: MKCALENDAR(`${opts.prefix} u${v} c${m}`),
        auth: auths[account]!,
      });
      if (ex.response?.status !== 201) {
        throw new CalspecError(
          `seeding: MKCALENDAR ${path} gave ${ex.response?.status ?? ex.error}; ` +
            `the account needs permission to create calendars`,
          EXIT.target,
        );
      }
      sandbox.track(path, auths[account]!, 'load');
      result.calendars.push({ account, path, events: [] });
    }
  }
  // One flat task list over all calendars, drained by `concurrency` loops: PUTs stay parallel
  // even with a single calendar.
  const tasks: { cal: SeededCalendar; index: number; seed: number }[] = [];
  result.calendars.forEach((cal, c) => {
    for (let i = 0; i < plan.events; i++) tasks.push({ cal, index: i, seed: c + 1 });
  });
  let next = 0;
  let done = 0;
  let lastReport = 0;
  const putOne = async () => {
    while (next < tasks.length && !opts.signal.aborted) {
      const { cal, index, seed: s } = tasks[next++]!;
      const ev = generateEvent(plan, `${opts.prefix}-c${s}`, index, s);
      const ex = await client.send({
        method: 'PUT',
        url: url(cal.path + ev.name),
        body: ev.body,
        auth: auths[cal.account]!,
        headers: { 'content-type': 'text/calendar; charset=utf-8', 'if-none-match': '*' },
      });
      const status = ex.response?.status ?? 0;
      if (status < 200 || status > 299)
        throw new CalspecError(`seeding: PUT ${cal.path}${ev.name} gave ${status || ex.error}`, EXIT.target);
      cal.events.push({ name: ev.name, occurrences: ev.occurrences });
      done++;
      if (opts.progress && (Date.now() - lastReport > 1000 || done === tasks.length)) {
        lastReport = Date.now();
        opts.progress(`seeding: ${done}/${tasks.length} events in ${result.calendars.length} calendars`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(plan.concurrency, Math.max(1, tasks.length)) }, putOne));
  for (const cal of result.calendars) {
    cal.events.sort((a, b) => a.name.localeCompare(b.name));
    const token = await syncToken(client, url(cal.path), auths[cal.account]!);
    if (token !== undefined) {
      cal.syncToken = token;
      result.syncSupported = true;
    }
  }
  return result;
}

async function syncToken(client: DavClient, url: string, auth: Authenticator): Promise<string | undefined> {
  const ex = await client.send({ method: 'REPORT', url, body: SYNC_INITIAL(), auth, headers: { depth: '0' } });
  if (ex.response?.status !== 207) return undefined;
  try {
    return parseMultistatus(ex.response.body).syncToken;
  } catch {
    return undefined;
  }
}

/** Remove everything seeding created (also after Ctrl-C); returns what could not be removed. */
export async function cleanup(seeded: SeedResult): Promise<string[]> {
  await seeded.sandbox.remove(undefined, Date.now() + 60_000);
  await seeded.client.close();
  return seeded.sandbox.record.leftover;
}
