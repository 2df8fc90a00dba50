// `calspec discover`: find out what a CalDAV server implements by probing it, inside a scratch
// calendar that is always removed again (also on Ctrl-C), and grade every capability.
import type { Credentials } from '../dav/auth.js';
import { Authenticator } from '../dav/auth.js';
import { discover } from '../dav/bootstrap.js';
import { DavClient } from '../dav/http.js';
import { Redactor } from '../dav/redact.js';
import { newRunId, Sandbox } from '../dav/sandbox.js';
import type { Feature, ProfileQuirk, ServerProfile } from '../model/profile.js';
import { VERSION } from '../version.js';
import { Interrupted, type ProbeContext } from './context.js';
import { makeGuard } from './guard.js';
import { setUpScratch } from './scratch.js';
import * as P from './probes/index.js';
import { gradeMeansPresent, type DiscoverReport, type ProbeResult } from './types.js';
import { registerCleanupHeaders } from '../dav/cleanup-headers.js';

export * from './types.js';
export { renderDiscoverTable } from './table.js';
export { profileDraft } from './profile-draft.js';
export type { ProbeContext } from './context.js';
export {
  probeFeatures,
  PROBE_FOR,
  PROBED_FEATURES,
  type FeatureProbeOptions,
  type FeatureProbeRun,
  type ProbeStep,
} from './by-feature.js';

export interface DiscoverOptions {
  target: string;
  credentials: Credentials;
  /** Layout hints (principal/home/calendar) from a profile. */
  profile?: ServerProfile;
  /** --calendar: the existing calendar to probe in when no scratch calendar can be made (before the profile's). */
  calendar?: string;
  runId?: string;
  signal?: AbortSignal;
  insecure?: boolean;
  ca?: string;
  timeoutMs?: number;
  /** false: every request on a new connection (--no-keep-alive). */
  keepAlive?: boolean;
  /** Called as each probe finishes (live output). */
  onProbe?: (probe: ProbeResult) => void;
  /** Called with the sandbox as soon as it exists, so a second Ctrl-C can list leftovers. */
  onSandbox?: (sandbox: Sandbox) => void;
}

export async function runDiscover(opts: DiscoverOptions): Promise<DiscoverReport> {
  const runId = opts.runId ?? newRunId();
  const started = new Date();
  const redactor = new Redactor();
  redactor.add(opts.credentials.password, [opts.credentials.user]);
  const client = new DavClient({
    redactor,
    ...(opts.insecure ? { insecure: true } : {}),
    ...(opts.ca ? { ca: opts.ca } : {}),
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.keepAlive === false ? { keepAlive: false } : {}),
  });
  const baseUrl = opts.target.endsWith('/') ? opts.target : `${opts.target}/`;
  registerCleanupHeaders(baseUrl, opts.profile);
  const auth = new Authenticator(opts.credentials);
  const probes: ProbeResult[] = [];
  const notes: string[] = [];
  const add = (...found: ProbeResult[]) => {
    for (const p of found) {
      probes.push(p);
      opts.onProbe?.(p);
    }
  };
  let interrupted = false;
  const found = await discover(client, baseUrl, auth, opts.credentials.user, opts.profile?.layout ?? {}).catch(
    async (e: unknown) => {
      await client.close();
      throw e;
    },
  );
  notes.push(...found.notes);
  const sandbox = new Sandbox(client, baseUrl, [`${found.home}calspec-${runId}`]);
  opts.onSandbox?.(sandbox);
  const ctx: ProbeContext = {
    client,
    auth,
    baseUrl,
    user: opts.credentials.user,
    runId,
    principal: found.principal,
    home: found.home,
    sandbox,
    davClasses: found.davClasses,
    objectPrefix: '',
    ownCalendar: false,
    exchanges: [],
    ...(opts.signal ? { signal: opts.signal } : {}),
  };
  let scheme: DiscoverReport['auth'] = opts.credentials.kind === 'none' ? 'none' : 'basic';
  let allow: string | undefined;
  const guarded = makeGuard(add, opts.signal);
  try {
    const a = await guarded('auth', () => P.probeAuth(ctx));
    if (a) {
      add(a.probe);
      if (opts.credentials.kind !== 'none' || a.scheme === 'none') scheme = a.scheme;
    }
    const o = await guarded('options', () => P.probeOptions(ctx));
    if (o) {
      add(o.probe);
      allow = o.allow;
    }
    const w = await guarded('well-known', () => P.probeWellKnown(ctx));
    if (w) add(w);
    add(...P.probePrincipal(found.notes, found.principal, found.home));

    // The scratch calendar: MKCALENDAR, else extended MKCOL, else an existing calendar.
    const layoutCal = opts.profile?.layout.calendar?.replace('{user}', encodeURIComponent(opts.credentials.user));
    const scratchNotes = await setUpScratch(
      ctx,
      {
        path: `${found.home}calspec-${runId}-discover/`,
        extendedMkcolPath: `${found.home}calspec-${runId}-discover-xmkcol/`,
        create: true,
        ...(opts.calendar || layoutCal ? { existing: opts.calendar ?? layoutCal! } : {}),
      },
      guarded,
      add,
    );
    notes.push(...scratchNotes);
    const m = await guarded('mkcol', () => P.probeMkcol(ctx, `${found.home}calspec-${runId}-discover-mkcol/`));
    if (m) add(m);

    if (ctx.calendar) {
      const cal = ctx.calendar;
      const props = await guarded('calendar-properties', () => P.probeCalendarProps(ctx));
      if (props) add(...props);
      const putGet = await guarded('put-get', () => P.probePutGet(ctx));
      if (putGet) add(putGet);
      for (const comp of ['VTODO', 'VJOURNAL'] as const) {
        const c = await guarded(comp.toLowerCase(), () => P.probeComponent(ctx, comp));
        if (c) add(c);
      }
      const vfb = ctx.ownCalendar ? `${found.home}calspec-${runId}-discover-vfb/` : undefined;
      const fb = await guarded('vfreebusy', () => P.probeVfreebusy(ctx, vfb));
      if (fb) add(fb);
      const d = await guarded('delete', () => P.probeDelete(ctx));
      if (d) add(d);
      for (const probe of [P.probeCalendarQuery, P.probeExpand, P.probeMultiget, P.probeFreeBusy]) {
        const r = await guarded(probe.name, () => probe(ctx));
        if (r) add(r);
      }
      const sync = await guarded('sync-collection', () => P.probeSyncAndCtag(ctx));
      if (sync) add(...sync);
      if (ctx.ownCalendar) {
        const pp = await guarded('proppatch', () => P.probeProppatch(ctx));
        if (pp) add(...pp);
      } else notes.push(`PROPPATCH not probed: ${cal} is not calspec's own calendar`);
      const copyTo = ctx.ownCalendar ? `${found.home}calspec-${runId}-discover-copy/` : undefined;
      const cm = await guarded('copy-move', () => P.probeCopyMove(ctx, copyTo));
      if (cm) add(...cm);
      const l = await guarded('lock', () => P.probeLock(ctx));
      if (l) add(l);
      const acl = await guarded('acl', () => P.probeAcl(ctx));
      if (acl) add(...acl);
    }
    const s = await guarded('scheduling', () => P.probeScheduling(ctx));
    if (s) add(...s);
    crossCheckReports(probes);
  } catch (error) {
    if (!(error instanceof Interrupted)) throw error;
    interrupted = true;
    notes.push('interrupted: probing stopped; what was created has been removed');
  } finally {
    await sandbox.remove(undefined, Date.now() + 30_000);
    await client.close();
  }

  const features: Partial<Record<Feature, boolean>> = {};
  for (const p of probes) {
    if (p.feature) features[p.feature] = gradeMeansPresent(p.grade);
    Object.assign(features, p.features ?? {});
  }
  if (!interrupted) features['timezone-by-reference'] = gradeMeansPresent(P.probeTimezoneByReference(ctx).grade);
  const quirks: ProfileQuirk[] = [];
  for (const q of probes.flatMap((p) => p.quirks ?? [])) if (!quirks.some((x) => x.id === q.id)) quirks.push(q);
  const report: DiscoverReport = {
    schemaVersion: 1,
    kind: 'discover',
    tool: { name: 'calspec', version: VERSION },
    runId,
    startedAt: started.toISOString(),
    durationMs: Date.now() - started.getTime(),
    target: {
      url: baseUrl,
      user: opts.credentials.user,
      principal: found.principal,
      home: found.home,
      davClasses: ctx.davClasses,
      ...(found.serverHeader ? { serverHeader: found.serverHeader } : {}),
      ...(allow ? { allow } : {}),
    },
    ...(ctx.calendar ? { scratch: ctx.calendar } : {}),
    probes,
    features,
    quirks,
    auth: scheme,
    cleanup: sandbox.record,
    interrupted,
    notes,
  };
  return JSON.parse(redactor.text(JSON.stringify(report))) as DiscoverReport;
}

/** A report that works but is missing from supported-report-set (or the reverse) is a quirk. */
function crossCheckReports(probes: ProbeResult[]): void {
  const set = probes.find((p) => p.id === 'supported-report-set');
  if (!set || set.grade === 'unsupported') return;
  const listed = set.observed.split(',').map((s) => s.trim());
  const works = (id: string) => {
    const p = probes.find((x) => x.id === id);
    return p ? gradeMeansPresent(p.grade) && p.grade !== 'broken' : undefined;
  };
  const gaps: string[] = [];
  for (const [probe, report] of [
    ['calendar-query', 'calendar-query'],
    ['calendar-multiget', 'calendar-multiget'],
    ['free-busy-query', 'free-busy-query'],
    ['sync-collection', 'sync-collection'],
  ] as const) {
    const w = works(probe);
    if (w === true && !listed.includes(report)) gaps.push(`${report} works but is not listed`);
    if (w === false && listed.includes(report)) gaps.push(`${report} is listed but does not work`);
  }
  if (gaps.length) {
    set.grade = 'quirk';
    set.observed += ` — ${gaps.join('; ')}`;
    (set.quirks ??= []).push({
      id: 'supported-report-set-inaccurate',
      description: `DAV:supported-report-set is inaccurate: ${gaps.join('; ')}.`,
    });
  }
}
