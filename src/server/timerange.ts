// Instances of a recurring component set and the RFC 4791 §9.9 overlap rules. Times are compared as
// Unix seconds; floating times (and DATE values) are placed in the calendar's timezone when it has
// one, else read as UTC (RFC 4791 §7.3 leaves that to the server).
import ICAL from 'ical.js';

export interface Range {
  start: number;
  end: number;
}

export interface Instance {
  /** The component this instance comes from: the master or an overriding (RECURRENCE-ID) one. */
  comp: ICAL.Component;
  startTime?: ICAL.Time;
  start?: number;
  /** DTEND, or DTSTART + DURATION. */
  end?: number;
  duration?: number;
  due?: number;
  /** Original start of this instance when it belongs to a recurrence set. */
  recurrenceId?: number;
  recurring: boolean;
}

export interface ExpandOptions {
  floating?: ICAL.Timezone;
  /** Stop generating master occurrences that start after this time. */
  until: number;
  /** false: treat a recurring master as its first instance only (fault 'recurrence-not-expanded'). */
  expand: boolean;
}

const MAX_OCCURRENCES = 20000;

/** Parse an RFC 4791 UTC date-time attribute (`20260101T000000Z`). */
export function parseUtc(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  // Not Date.UTC(y, ...): it maps years 0-99 to 1900-1999, and 00010101T000000Z must stay year 1.
  const date = new Date(0);
  date.setUTCFullYear(y!, mo! - 1, d!);
  date.setUTCHours(h!, mi!, s!);
  return date.getTime() / 1000;
}

export function toUnix(t: ICAL.Time, floating?: ICAL.Timezone): number {
  if (floating && (t.isDate || t.zone === ICAL.Timezone.localTimezone || t.zone?.tzid === 'floating')) {
    const placed = ICAL.Time.fromData(
      { year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second },
      floating,
    );
    return placed.toUnixTime();
  }
  return t.toUnixTime();
}

function timeProp(c: ICAL.Component, name: string): ICAL.Time | undefined {
  const v = c.getFirstPropertyValue(name);
  return v instanceof ICAL.Time ? v : undefined;
}

/** The instance a single, unexpanded component describes. */
export function singleInstance(comp: ICAL.Component, floating?: ICAL.Timezone): Instance {
  const dtstart = timeProp(comp, 'dtstart');
  const dtend = timeProp(comp, 'dtend');
  const due = timeProp(comp, 'due');
  const durationValue = comp.getFirstPropertyValue('duration');
  const duration = durationValue instanceof ICAL.Duration ? durationValue.toSeconds() : undefined;
  const start = dtstart ? toUnix(dtstart, floating) : undefined;
  const inst: Instance = { comp, recurring: false };
  if (dtstart) inst.startTime = dtstart;
  if (start !== undefined) inst.start = start;
  if (start !== undefined && dtend) inst.end = toUnix(dtend, floating);
  else if (start !== undefined && duration !== undefined) inst.end = start + duration;
  if (duration !== undefined) inst.duration = duration;
  if (due) inst.due = toUnix(due, floating);
  const rid = timeProp(comp, 'recurrence-id');
  if (rid) {
    inst.recurrenceId = toUnix(rid, floating);
    inst.recurring = true;
  }
  return inst;
}

function isRecurringMaster(c: ICAL.Component): boolean {
  return c.hasProperty('rrule') || c.hasProperty('rdate');
}

/**
 * All instances of the components (one UID's master plus overrides), overrides first, then master
 * occurrences in time order up to `until`. Overridden occurrences are not repeated.
 */
export function* instances(comps: ICAL.Component[], opts: ExpandOptions): Generator<Instance> {
  const master = comps.find((c) => !c.hasProperty('recurrence-id'));
  const overrides = comps.filter((c) => c.hasProperty('recurrence-id'));
  if (!master || !isRecurringMaster(master) || !opts.expand) {
    if (master) yield singleInstance(master, opts.floating);
    if (opts.expand || !master) for (const o of overrides) yield singleInstance(o, opts.floating);
    return;
  }
  const overridden = new Set<number>();
  for (const o of overrides) {
    const inst = singleInstance(o, opts.floating);
    if (inst.recurrenceId !== undefined) overridden.add(inst.recurrenceId);
    yield inst;
  }
  const base = singleInstance(master, opts.floating);
  const dtstart = base.startTime;
  if (!dtstart || base.start === undefined) return;
  const expansion = new ICAL.RecurExpansion({ component: master, dtstart });
  for (let i = 0; i < MAX_OCCURRENCES; i++) {
    const occ = expansion.next();
    if (!occ) return;
    const at = toUnix(occ, opts.floating);
    if (at > opts.until) return;
    if (overridden.has(at)) continue;
    const shift = at - base.start;
    const inst: Instance = { comp: master, startTime: occ, start: at, recurrenceId: at, recurring: true };
    if (base.end !== undefined) inst.end = base.end + shift;
    if (base.duration !== undefined) inst.duration = base.duration;
    if (base.due !== undefined) inst.due = base.due + shift;
    yield inst;
  }
}

/** RFC 4791 §9.9 for one instance. `endInclusive` is the fault 'timerange-end-inclusive'. */
export function overlaps(inst: Instance, range: Range, endInclusive = false): boolean {
  const { start: s, end: e } = range;
  // Fault hook: "end > X" becomes "end >= X", so an instance starting exactly at the range end matches.
  const after = (x: number) => (endInclusive ? e >= x : e > x);
  const name = inst.comp.name;
  const st = inst.start;
  if (name === 'vevent') {
    if (st === undefined) return false;
    if (inst.end !== undefined && inst.end > st) return s < inst.end && after(st);
    if (inst.startTime?.isDate && inst.end === undefined) return s < st + 86400 && after(st);
    return s <= st && after(st);
  }
  if (name === 'vtodo') {
    const completed = timeValue(inst.comp, 'completed');
    const created = timeValue(inst.comp, 'created');
    if (st !== undefined && inst.duration !== undefined)
      return s <= st + inst.duration && (after(st) || e >= st + inst.duration);
    if (st !== undefined && inst.due !== undefined) return (s < inst.due || s <= st) && (after(st) || e >= inst.due);
    if (st !== undefined) return s <= st && after(st);
    if (inst.due !== undefined) return s < inst.due && e >= inst.due;
    if (completed !== undefined && created !== undefined)
      return (s <= created || s <= completed) && (e >= created || e >= completed);
    if (completed !== undefined) return s <= completed && e >= completed;
    if (created !== undefined) return e > created;
    return true;
  }
  if (name === 'vjournal') {
    if (st === undefined) return false;
    if (inst.startTime?.isDate) return s < st + 86400 && after(st);
    return s <= st && after(st);
  }
  if (name === 'vfreebusy') return freebusyOverlaps(inst, range);
  return false;
}

function timeValue(c: ICAL.Component, name: string): number | undefined {
  const t = timeProp(c, name);
  return t ? t.toUnixTime() : undefined;
}

function freebusyOverlaps(inst: Instance, { start: s, end: e }: Range): boolean {
  if (inst.start !== undefined && inst.end !== undefined) return s <= inst.end && e > inst.start;
  for (const p of inst.comp.getAllProperties('freebusy')) {
    for (const v of p.getValues()) {
      if (!(v instanceof ICAL.Period)) continue;
      const ps = v.start.toUnixTime();
      const pe = v.getEnd().toUnixTime();
      if (s < pe && e > ps) return true;
    }
  }
  return false;
}

/** Trigger times of a VALARM for one instance of its parent (TRIGGER, then REPEAT x DURATION). */
export function alarmTimes(alarm: ICAL.Component, parent: Instance): number[] {
  const trigger = alarm.getFirstProperty('trigger');
  if (!trigger) return [];
  const value = trigger.getFirstValue();
  let first: number | undefined;
  if (value instanceof ICAL.Time) first = value.toUnixTime();
  else if (value instanceof ICAL.Duration) {
    const related = String(trigger.getParameter('related') ?? 'START').toUpperCase();
    const anchor = related === 'END' ? (parent.end ?? parent.due) : (parent.start ?? parent.due);
    if (anchor !== undefined) first = anchor + value.toSeconds();
  }
  if (first === undefined) return [];
  const out = [first];
  const repeat = Number(alarm.getFirstPropertyValue('repeat') ?? 0);
  const interval = alarm.getFirstPropertyValue('duration');
  if (repeat > 0 && interval instanceof ICAL.Duration) {
    for (let i = 1; i <= Math.min(repeat, 1000); i++) out.push(first + i * interval.toSeconds());
  }
  return out;
}

/** The ICAL.Timezone of a calendar-timezone value (a VCALENDAR holding one VTIMEZONE), if usable. */
export function timezoneFromText(text: string | undefined): ICAL.Timezone | undefined {
  if (!text || !text.includes('VTIMEZONE')) return undefined;
  try {
    const root = new ICAL.Component(ICAL.parse(text) as unknown[]);
    const vtz = root.name === 'vtimezone' ? root : root.getFirstSubcomponent('vtimezone');
    return vtz ? new ICAL.Timezone(vtz) : undefined;
  } catch {
    return undefined;
  }
}
