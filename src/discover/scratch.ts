// Where the probes write: a scratch calendar of their own (MKCALENDAR, else RFC 5689 extended
// MKCOL), else an existing calendar with run-prefixed object names. Shared by `calspec discover`
// and the capability probes of `calspec run`.
import type { ProbeContext } from './context.js';
import type { Guard } from './guard.js';
import * as P from './probes/index.js';
import { gradeMeansPresent, type ProbeResult } from './types.js';

export interface ScratchPlan {
  /** The scratch calendar to create (ends with /). */
  path: string;
  /** When MKCALENDAR worked: also probe extended MKCOL, at this second path. */
  extendedMkcolPath?: string;
  /** False when MKCALENDAR is known to be unavailable: go straight to an existing calendar. */
  create: boolean;
  /** The calendar to fall back on (a profile's layout.calendar); else the first one in the home. */
  existing?: string;
}

/** Sets ctx.calendar (unless nothing works) and returns notes for the report. */
export async function setUpScratch(
  ctx: ProbeContext,
  plan: ScratchPlan,
  guarded: Guard,
  add: (probe: ProbeResult) => void,
): Promise<string[]> {
  // Objects are run-prefixed even in calspec's own scratch calendar: a server whose MKCALENDAR is a
  // no-op may file them elsewhere (the home), and only the name then tells them apart.
  ctx.objectPrefix = `calspec-${ctx.runId}-`;
  if (plan.create) {
    const mk = await guarded('mkcalendar', () => P.probeMkcalendar(ctx, plan.path));
    if (mk) add(mk);
    if (mk && gradeMeansPresent(mk.grade) && mk.grade !== 'broken') {
      ctx.calendar = plan.path;
      ctx.ownCalendar = true;
      const second = plan.extendedMkcolPath;
      if (second) {
        const x = await guarded('extended-mkcol', () => P.probeExtendedMkcol(ctx, second));
        if (x) add(x.probe);
      }
      return [];
    }
    const x = await guarded('extended-mkcol', () => P.probeExtendedMkcol(ctx, plan.path));
    if (x) add(x.probe);
    if (x?.created) {
      ctx.calendar = plan.path;
      ctx.ownCalendar = true;
      return ['scratch calendar created with extended MKCOL'];
    }
  }
  const existing = plan.existing ?? (await P.findExistingCalendar(ctx));
  if (!existing) return ['no calendar could be created or found: object, report and sync probes were not run'];
  ctx.calendar = existing.endsWith('/') ? existing : `${existing}/`;
  return [`no calendar could be created: objects are written, run-prefixed, into ${ctx.calendar} and removed again`];
}
