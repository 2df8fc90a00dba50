// A partial discover run for `calspec run`: only the probes that decide the features asked for,
// plus what they need first (the DAV header, a scratch calendar, the two events the report and
// method probes expect). Same probes, same grades as `calspec discover`.
import type { Exchange } from '../model/exchange.js';
import type { Feature } from '../model/profile.js';
import { describe, Interrupted, type ProbeContext } from './context.js';
import { makeGuard } from './guard.js';
import * as P from './probes/index.js';
import { setUpScratch } from './scratch.js';
import type { ProbeResult } from './types.js';

/** dav: OPTIONS first (DAV classes). report-set: DAV:supported-report-set read first (the claim). */
type Need = 'dav' | 'calendar' | 'events' | 'own-calendar' | 'report-set';

interface FeatureProbe {
  id: string;
  decides: readonly Feature[];
  needs: readonly Need[];
  run: (ctx: ProbeContext, path: (suffix: string) => string) => Promise<ProbeResult[]>;
}

const list = async (r: Promise<ProbeResult>): Promise<ProbeResult[]> => [await r];

/** In discover's order: account level, then the calendar, then what writes into it. */
const PROBES: readonly FeatureProbe[] = [
  { id: 'auth', decides: ['auth'], needs: [], run: async (ctx) => [(await P.probeAuth(ctx)).probe] },
  { id: 'well-known', decides: ['well-known'], needs: [], run: (ctx) => list(P.probeWellKnown(ctx)) },
  {
    id: 'timezone-by-reference',
    decides: ['timezone-by-reference'],
    needs: ['dav'],
    run: async (ctx) => [P.probeTimezoneByReference(ctx)],
  },
  { id: 'mkcol', decides: ['mkcol'], needs: [], run: (ctx, path) => list(P.probeMkcol(ctx, path('mkcol'))) },
  {
    id: 'calendar-properties',
    decides: ['max-resource-size', 'date-limits', 'max-instances', 'max-attendees'],
    needs: ['calendar'],
    run: (ctx) => P.probeCalendarProps(ctx),
  },
  { id: 'vtodo', decides: ['vtodo'], needs: ['calendar'], run: (ctx) => list(P.probeComponent(ctx, 'VTODO')) },
  { id: 'vjournal', decides: ['vjournal'], needs: ['calendar'], run: (ctx) => list(P.probeComponent(ctx, 'VJOURNAL')) },
  {
    id: 'vfreebusy',
    decides: ['vfreebusy'],
    needs: ['calendar'],
    run: (ctx, path) => list(P.probeVfreebusy(ctx, ctx.ownCalendar ? path('vfb') : undefined)),
  },
  {
    id: 'calendar-query',
    decides: ['calendar-query'],
    needs: ['events', 'report-set'],
    run: (ctx) => list(P.probeCalendarQuery(ctx)),
  },
  { id: 'expand', decides: ['expand'], needs: ['calendar'], run: (ctx) => list(P.probeExpand(ctx)) },
  {
    id: 'calendar-multiget',
    decides: ['calendar-multiget'],
    needs: ['events', 'report-set'],
    run: (ctx) => list(P.probeMultiget(ctx)),
  },
  {
    id: 'free-busy-query',
    decides: ['free-busy-query'],
    needs: ['events', 'report-set'],
    run: (ctx) => list(P.probeFreeBusy(ctx)),
  },
  {
    id: 'sync-collection',
    decides: ['sync-collection', 'getctag'],
    needs: ['calendar', 'report-set'],
    run: (ctx) => P.probeSyncAndCtag(ctx),
  },
  {
    id: 'proppatch',
    decides: ['proppatch', 'dead-properties'],
    needs: ['own-calendar'],
    run: (ctx) => P.probeProppatch(ctx),
  },
  {
    id: 'copy-move',
    decides: ['copy', 'move'],
    needs: ['events'],
    run: (ctx, path) => P.probeCopyMove(ctx, ctx.ownCalendar ? path('copy') : undefined),
  },
  { id: 'lock', decides: ['lock'], needs: ['events', 'dav'], run: (ctx) => list(P.probeLock(ctx)) },
  {
    id: 'acl',
    decides: ['current-user-privilege-set', 'acl'],
    needs: ['calendar', 'dav'],
    run: (ctx) => P.probeAcl(ctx),
  },
  {
    id: 'scheduling',
    decides: ['scheduling', 'schedule-tag'],
    needs: ['calendar', 'dav'],
    run: (ctx) => P.probeScheduling(ctx),
  },
];

/** The step that decides each feature it can (the scratch calendar decides mkcalendar and extended-mkcol). */
export const PROBE_FOR: Readonly<Partial<Record<Feature, string>>> = Object.fromEntries([
  ['mkcalendar', 'scratch'],
  ['extended-mkcol', 'scratch'],
  ...PROBES.flatMap((p) => p.decides.map((f) => [f, p.id])),
]) as Partial<Record<Feature, string>>;

export const PROBED_FEATURES = Object.keys(PROBE_FOR) as readonly Feature[];

/** One probe (or preparation: options, scratch, events) with the requests it made. */
export interface ProbeStep {
  id: string;
  results: ProbeResult[];
  exchanges: Exchange[];
  /** Earlier steps whose answers this probe's verdict rests on too (`options`, `calendar-properties`). */
  uses: string[];
}

export interface FeatureProbeRun {
  steps: ProbeStep[];
  /** The DAV header classes as last seen (OPTIONS on the base URL and the home, when probed). */
  davClasses: string[];
  /** Features asked for that no probe decided, with why. */
  undecided: Partial<Record<Feature, string>>;
  notes: string[];
  interrupted: boolean;
}

export interface FeatureProbeOptions {
  /** Name stem for what the probes create under the home, e.g. `calspec-<run>-probe`. */
  stem: string;
  /** False when MKCALENDAR is known to be unavailable (then `existing` is written into). */
  create: boolean;
  existing?: string;
}

export async function probeFeatures(
  ctx: ProbeContext,
  wanted: Iterable<Feature>,
  opts: FeatureProbeOptions,
): Promise<FeatureProbeRun> {
  const want = new Set(wanted);
  const chosen = PROBES.filter((p) => p.decides.some((f) => want.has(f)));
  if (chosen.some((p) => p.needs.includes('report-set')) && !chosen.some((p) => p.id === 'calendar-properties'))
    chosen.splice(
      0,
      0,
      PROBES.find((p) => p.id === 'calendar-properties')!,
    );
  const needs = new Set(chosen.flatMap((p) => p.needs));
  const run: FeatureProbeRun = { steps: [], davClasses: ctx.davClasses, undecided: {}, notes: [], interrupted: false };
  const path = (suffix: string) => `${ctx.home}${opts.stem}-${suffix}/`;
  let current: ProbeStep | undefined;
  const guarded = makeGuard((p) => current?.results.push(p), ctx.signal, false);
  /** Runs one step, recording its results and exactly the requests it made. */
  const step = async (id: string, fn: (add: (p: ProbeResult) => void) => Promise<void>, uses: string[] = []) => {
    const s: ProbeStep = { id, results: [], exchanges: [], uses };
    const first = ctx.exchanges.length;
    current = s;
    run.steps.push(s);
    try {
      await guarded(id, () => fn((p) => s.results.push(p)));
    } finally {
      s.exchanges = ctx.exchanges.slice(first);
    }
  };
  let noCalendar: string | undefined;
  let noEvents: string | undefined;
  try {
    if (needs.has('dav'))
      await step('options', async (add) => {
        const o = await P.probeOptions(ctx);
        add(o.probe);
      });
    const needsCalendar = ['calendar', 'events', 'own-calendar'].some((n) => needs.has(n as Need));
    if (needsCalendar || want.has('mkcalendar') || want.has('extended-mkcol'))
      await step('scratch', async (add) => {
        const plan = {
          path: `${ctx.home}${opts.stem}/`,
          create: opts.create,
          ...(want.has('extended-mkcol') ? { extendedMkcolPath: path('xmkcol') } : {}),
          ...(opts.existing ? { existing: opts.existing } : {}),
        };
        run.notes.push(...(await setUpScratch(ctx, plan, guarded, add)));
      });
    if (needsCalendar && !ctx.calendar) noCalendar = 'no calendar to probe in (none could be created or found)';
    if (needs.has('events') && ctx.calendar)
      await step('events', async () => {
        const refused = await P.seedEvents(ctx);
        if (refused) noEvents = `the two test events could not be stored (PUT answered ${describe(refused)})`;
      });
    for (const probe of chosen) {
      const blocked =
        (probe.needs.some((n) => n !== 'dav') && noCalendar) ||
        (probe.needs.includes('events') && noEvents) ||
        (probe.needs.includes('own-calendar') && !ctx.ownCalendar && `${ctx.calendar} is not calspec's own calendar`);
      if (blocked) {
        for (const f of probe.decides) run.undecided[f] ??= blocked;
        continue;
      }
      const uses = [
        ...(probe.needs.includes('dav') ? ['options'] : []),
        ...(probe.needs.includes('report-set') ? ['calendar-properties'] : []),
      ];
      await step(
        probe.id,
        async (add) => {
          for (const r of await probe.run(ctx, path)) add(r);
        },
        uses,
      );
    }
  } catch (error) {
    if (!(error instanceof Interrupted)) throw error;
    run.interrupted = true;
  }
  run.davClasses = ctx.davClasses;
  return run;
}
