// CALDAV:free-busy-query (RFC 4791 §7.10): a VFREEBUSY over the calendar's opaque, non-cancelled
// event instances and stored VFREEBUSY periods inside the range, clipped to it and merged per FBTYPE.
import ICAL from 'ical.js';
import type { XmlElement } from '../xml/index.js';
import { CAL, depthOf, textReply, type Ctx, type Reply } from './context.js';
import { parsedCalendar } from './parsed.js';
import { floatingZone } from './report-query.js';
import type { Resource } from './store.js';
import { instances, overlaps, parseUtc } from './timerange.js';

type Period = [number, number];

function merge(periods: Period[]): Period[] {
  const sorted = [...periods].sort((a, b) => a[0] - b[0]);
  const out: Period[] = [];
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (last && p[0] <= last[1]) last[1] = Math.max(last[1], p[1]);
    else out.push([p[0], p[1]]);
  }
  return out;
}

function stamp(seconds: number): string {
  return new Date(seconds * 1000)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export type Busy = Record<'BUSY' | 'BUSY-TENTATIVE' | 'BUSY-UNAVAILABLE', Period[]>;

export function emptyBusy(): Busy {
  return { BUSY: [], 'BUSY-TENTATIVE': [], 'BUSY-UNAVAILABLE': [] };
}

/** FREEBUSY values of a stored VFREEBUSY (RFC 4791 §7.10 counts them), clipped to [start, end). */
function storedBusy(vfb: ICAL.Component, start: number, end: number, busy: Busy): void {
  for (const prop of vfb.getAllProperties('freebusy')) {
    const type = String(prop.getParameter('fbtype') ?? 'BUSY').toUpperCase();
    if (type === 'FREE') continue;
    const bucket = type === 'BUSY-TENTATIVE' || type === 'BUSY-UNAVAILABLE' ? type : 'BUSY';
    for (const value of prop.getValues()) {
      if (!(value instanceof ICAL.Period)) continue;
      const s = value.start.toUnixTime();
      const e = value.getEnd().toUnixTime();
      if (e > start && s < end) busy[bucket].push([Math.max(start, s), Math.min(end, e)]);
    }
  }
}

/** Add the busy time of `calendar`'s events within [start, end) to `busy`. */
export function collectBusy(ctx: Ctx, calendar: Resource, start: number, end: number, busy: Busy): void {
  const floating = floatingZone(ctx, calendar);
  for (const r of ctx.state.store.members(calendar)) {
    const comp = parsedCalendar(r);
    for (const vfb of comp?.getAllSubcomponents('vfreebusy') ?? []) storedBusy(vfb, start, end, busy);
    const events = comp?.getAllSubcomponents('vevent') ?? [];
    if (events.length === 0) continue;
    for (const inst of instances(events, { floating, until: end, expand: true })) {
      const c = inst.comp;
      const status = String(c.getFirstPropertyValue('status') ?? '').toUpperCase();
      if (status === 'CANCELLED' || String(c.getFirstPropertyValue('transp') ?? '').toUpperCase() === 'TRANSPARENT')
        continue;
      if (inst.start === undefined || !overlaps(inst, { start, end })) continue;
      const instEnd = inst.end ?? (inst.startTime?.isDate ? inst.start + 86400 : inst.start);
      if (instEnd <= inst.start) continue; // zero-length events block no time
      busy[status === 'TENTATIVE' ? 'BUSY-TENTATIVE' : 'BUSY'].push([
        Math.max(start, inst.start),
        Math.min(end, instEnd),
      ]);
    }
  }
}

/** A VCALENDAR holding one VFREEBUSY for [start, end); `extra` adds properties (METHOD, ORGANIZER ...). */
export function renderFreeBusy(
  start: number,
  end: number,
  busy: Busy,
  extra: { calendar?: string[]; component?: string[] } = {},
): string {
  const vfb = new ICAL.Component('vfreebusy');
  vfb.addPropertyWithValue('dtstamp', ICAL.Time.fromJSDate(new Date(), true));
  vfb.addPropertyWithValue('dtstart', ICAL.Time.fromJSDate(new Date(start * 1000), true));
  vfb.addPropertyWithValue('dtend', ICAL.Time.fromJSDate(new Date(end * 1000), true));
  const lines: string[] = [...(extra.component ?? [])];
  for (const [type, periods] of Object.entries(busy)) {
    for (const [s, e] of merge(periods)) lines.push(`FREEBUSY;FBTYPE=${type}:${stamp(s)}/${stamp(e)}`);
  }
  const vfbText = vfb.toString().replace('END:VFREEBUSY', [...lines, 'END:VFREEBUSY'].join('\r\n'));
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//calspec//reference server//EN',
    ...(extra.calendar ?? []),
    vfbText,
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

export function handleFreeBusy(ctx: Ctx, calendar: Resource, root: XmlElement): Reply {
  const tr = root.children.find((c) => c.name === CAL('time-range'));
  const start = parseUtc(tr?.attrs.start ?? '');
  const end = parseUtc(tr?.attrs.end ?? '');
  if (start === undefined || end === undefined || end <= start)
    return textReply(400, 'free-busy-query needs a time-range with start < end');
  const busy = emptyBusy();
  // RFC 4791 §7.10 with RFC 3253 §3.6: without Depth only the collection itself is examined (no members).
  if (depthOf(ctx, '0') !== '0') collectBusy(ctx, calendar, start, end, busy);
  return {
    status: 200,
    headers: { 'Content-Type': 'text/calendar; charset=utf-8' },
    body: renderFreeBusy(start, end, busy),
  };
}
