// The load plan: every operation turned into a small set of pre-built request variants (method,
// path, flat header list, body, expectations) before the clock starts. The hot path only picks a
// variant and sends it; it never builds XML or headers. Plans are plain data so they can be
// posted to worker threads.
import { Authenticator, type Credentials } from '../dav/auth.js';
import { encodePath } from '../xml/href.js';
import type { SeededCalendar } from './seed.js';
import { SYNC_INITIAL } from './seed.js';
import type { Operation, SeedPlan } from './workload.js';

export interface Expectation {
  status: number[];
  /** [check kind, args] pairs for src/checks (the same checks conformance runs use). */
  checks: [string, unknown][];
}

export interface RequestVariant {
  method: string;
  path: string;
  /** Flat [name, value, ...], without Authorization (engine.ts adds it and serialises once). */
  headers: string[];
  body?: string;
  account: number;
  expect: Expectation;
}

export interface ChurnSpec {
  putRatio: number;
  /** Calendars (path, account) churn objects go into. */
  calendars: { path: string; account: number }[];
}

export interface PlannedOp {
  label: string;
  weight: number;
  variants: RequestVariant[];
  churn?: ChurnSpec;
}

export interface LoadPlan {
  baseUrl: string;
  accounts: Credentials[];
  ops: PlannedOp[];
  notes: string[];
}

const DAY = 86_400_000;
const MAX_VARIANTS = 256;
/** Events this close to a range edge are not asserted either way (time zones, all-day semantics). */
const MARGIN = DAY;
const MAX_ASSERTED = 40;
const NS = 'xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:cs="http://calendarserver.org/ns/"';
const XML = '<?xml version="1.0" encoding="utf-8"?>\n';
const XML_HEADERS = ['content-type', 'application/xml; charset=utf-8'];

function stamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function ranges(seed: SeedPlan, days: number): [number, number][] {
  const base = Date.parse(`${seed.start}T00:00:00Z`);
  const out: [number, number][] = [];
  for (let s = 0; s < seed.spanDays && out.length < 32; s += days) out.push([base + s * DAY, base + (s + days) * DAY]);
  return out;
}

function rangeChecks(cal: SeededCalendar, [a, b]: [number, number]): [string, unknown][] {
  const inside: string[] = [];
  const outside: string[] = [];
  for (const ev of cal.events) {
    const hit = ev.occurrences.some(([s, e]) => s < b - MARGIN && e > a + MARGIN);
    const near = ev.occurrences.some(([s, e]) => s < b + MARGIN && e > a - MARGIN);
    if (hit && inside.length < MAX_ASSERTED) inside.push(cal.path + ev.name);
    else if (!near && outside.length < MAX_ASSERTED) outside.push(cal.path + ev.name);
  }
  return [['multistatus', { hrefs: inside, absent: outside, wellFormed: true }]];
}

function propfindBody(props: string[]): string {
  const names: Record<string, string> = {
    getetag: 'd:getetag',
    getctag: 'cs:getctag',
    'sync-token': 'd:sync-token',
    displayname: 'd:displayname',
    resourcetype: 'd:resourcetype',
    getcontenttype: 'd:getcontenttype',
  };
  return `${XML}<d:propfind ${NS}><d:prop>${props.map((p) => `<${names[p]}/>`).join('')}</d:prop></d:propfind>`;
}

function variantsFor(
  op: Operation,
  cal: SeededCalendar,
  seed: SeedPlan,
  syncSupported: boolean,
): { label: string; list: RequestVariant[] } {
  const path = encodePath(cal.path);
  const v = (method: string, depth: string, body: string, expect: Expectation): RequestVariant => ({
    method,
    path,
    headers: [...XML_HEADERS, 'depth', depth],
    body,
    account: cal.account,
    expect,
  });
  const sampleHrefs = cal.events.slice(0, MAX_ASSERTED).map((e) => cal.path + e.name);
  switch (op.kind) {
    case 'calendar-query': {
      const days = op.rangeDays ?? 31;
      return {
        label: op.label,
        list: ranges(seed, days).map((r) => {
          const expand = op.expand ? `<c:expand start="${stamp(r[0])}" end="${stamp(r[1])}"/>` : '';
          const data = op.calendarData === false && !op.expand ? '' : `<c:calendar-data>${expand}</c:calendar-data>`;
          const body =
            `${XML}<c:calendar-query ${NS}><d:prop><d:getetag/>${data}</d:prop><c:filter>` +
            `<c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range start="${stamp(r[0])}" ` +
            `end="${stamp(r[1])}"/></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`;
          return v('REPORT', '1', body, { status: [207], checks: rangeChecks(cal, r) });
        }),
      };
    }
    case 'calendar-multiget': {
      const n = Math.min(op.hrefs ?? 10, cal.events.length);
      const list: RequestVariant[] = [];
      for (let start = 0; start < Math.max(1, cal.events.length) && list.length < 16; start += n || 1) {
        const hrefs = Array.from({ length: n }, (_, k) => cal.path + cal.events[(start + k) % cal.events.length]!.name);
        const data = op.calendarData === false ? '' : '<c:calendar-data/>';
        const body =
          `${XML}<c:calendar-multiget ${NS}><d:prop><d:getetag/>${data}` +
          `</d:prop>${hrefs.map((h) => `<d:href>${encodePath(h)}</d:href>`).join('')}</c:calendar-multiget>`;
        const withStatus = Object.fromEntries(hrefs.slice(0, MAX_ASSERTED).map((h) => [h, 200]));
        list.push(
          v('REPORT', '1', body, { status: [207], checks: [['multistatus', { hrefs, only: true, withStatus }]] }),
        );
      }
      return { label: op.label, list };
    }
    case 'sync-collection': {
      if (!syncSupported && op.fallback === 'propfind-etags') {
        return {
          label: `${op.label}-fallback`,
          list: [
            v('PROPFIND', '1', propfindBody(['getetag']), {
              status: [207],
              checks: [['multistatus', { hrefs: sampleHrefs }]],
            }),
          ],
        };
      }
      if (op.incremental && cal.syncToken) {
        return {
          label: op.label,
          list: [
            v('REPORT', '0', SYNC_INITIAL(cal.syncToken), {
              status: [207],
              checks: [['multistatus', { syncToken: true, wellFormed: true }]],
            }),
          ],
        };
      }
      return {
        label: op.label,
        list: [
          v('REPORT', '0', SYNC_INITIAL(), {
            status: [207],
            checks: [['multistatus', { hrefs: sampleHrefs, syncToken: true }]],
          }),
        ],
      };
    }
    case 'propfind': {
      const depth = op.depth ?? 1;
      const props = op.props ?? ['getetag'];
      const checks: [string, unknown][] =
        depth === 1 ? [['multistatus', { hrefs: sampleHrefs }]] : [['multistatus', { hrefs: [cal.path], count: 1 }]];
      return { label: op.label, list: [v('PROPFIND', String(depth), propfindBody(props), { status: [207], checks })] };
    }
    case 'free-busy-query': {
      return {
        label: op.label,
        list: ranges(seed, op.rangeDays ?? 7).map((r) =>
          v(
            'REPORT',
            '1',
            `${XML}<c:free-busy-query ${NS}><c:time-range ` +
              `start="${stamp(r[0])}" end="${stamp(r[1])}"/></c:free-busy-query>`,
            { status: [200], checks: [] },
          ),
        ),
      };
    }
    case 'churn':
      return { label: op.label, list: [] };
  }
}

export function buildPlan(
  baseUrl: string,
  accounts: Credentials[],
  ops: Operation[],
  calendars: SeededCalendar[],
  seed: SeedPlan,
  syncSupported: boolean,
): LoadPlan {
  const notes: string[] = [];
  const planned: PlannedOp[] = ops.map((op) => {
    if (op.kind === 'churn') {
      return {
        label: op.label,
        weight: op.weight,
        variants: [],
        churn: {
          putRatio: op.putRatio ?? 0.5,
          calendars: calendars.map((c) => ({ path: encodePath(c.path), account: c.account })),
        },
      };
    }
    let label = op.label;
    const variants: RequestVariant[] = [];
    for (const cal of calendars) {
      const built = variantsFor(op, cal, seed, syncSupported);
      label = built.label;
      variants.push(...built.list);
    }
    // Interleave calendars rather than exhaust one: the cap keeps the plan small for big seeds.
    return { label, weight: op.weight, variants: spread(variants, MAX_VARIANTS) };
  });
  if (!syncSupported && ops.some((o) => o.kind === 'sync-collection')) {
    notes.push(
      `the server has no sync-collection (RFC 6578): ` +
        (ops.some((o) => o.fallback === 'propfind-etags')
          ? "operations with 'fallback: propfind-etags' use PROPFIND getetag (label suffix -fallback); others"
          : 'those operations') +
        ' will count errors',
    );
  }
  return { baseUrl, accounts, ops: planned, notes };
}

function spread<T>(items: T[], max: number): T[] {
  if (items.length <= max) return items;
  const step = items.length / max;
  return Array.from({ length: max }, (_, i) => items[Math.floor(i * step)]!);
}

/** The Authorization value to send up front, or undefined for none/Digest-before-challenge. */
export function staticAuth(credentials: Credentials): string | undefined {
  return new Authenticator(credentials).header('GET', '/');
}
