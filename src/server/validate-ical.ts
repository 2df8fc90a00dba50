// RFC 4791 §5.3.2.1 preconditions for storing a calendar object resource, in the order a client
// can act on them: media type, iCalendar syntax, object-resource rules, component set, limits.
import ICAL from 'ical.js';
import { MAX_ATTENDEES, MAX_DATE_TIME, MAX_INSTANCES, MAX_RESOURCE_SIZE, MIN_DATE_TIME } from './limits.js';
import { parseUtc } from './timerange.js';
import { completeZones } from './tzref.js';

export type CalPrecondition =
  | 'supported-calendar-data'
  | 'valid-calendar-data'
  | 'valid-calendar-object-resource'
  | 'supported-calendar-component'
  | 'max-resource-size'
  | 'min-date-time'
  | 'max-date-time'
  | 'max-instances'
  | 'max-attendees-per-instance';

export type Validation =
  { ok: true; uid: string; component: string } | { ok: false; condition: CalPrecondition; detail: string };

const OBJECT_COMPONENTS = ['vevent', 'vtodo', 'vjournal', 'vfreebusy', 'vavailability'];

function fail(condition: CalPrecondition, detail: string): Validation {
  return { ok: false, condition, detail };
}

export function isCalendarMediaType(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase() === 'text/calendar';
}

export function validateCalendarObject(body: string, contentType: string | undefined, allowed: string[]): Validation {
  if (!isCalendarMediaType(contentType))
    return fail('supported-calendar-data', `Content-Type ${contentType ?? '(none)'} is not text/calendar`);
  if (Buffer.byteLength(body) > MAX_RESOURCE_SIZE)
    return fail('max-resource-size', `larger than ${MAX_RESOURCE_SIZE} octets`);
  let root: ICAL.Component;
  try {
    if (!/^\s*BEGIN:VCALENDAR/i.test(body)) throw new Error('does not start with BEGIN:VCALENDAR');
    const jcal = ICAL.parse(body) as unknown[];
    // Several top-level components parse as an array of arrays.
    if (Array.isArray(jcal[0])) throw new Error('more than one top-level component');
    // RFC 7809 §3.1.4: a built-in zone may be named without its VTIMEZONE; the built-in one stands in.
    completeZones(jcal);
    root = new ICAL.Component(jcal);
    // Values are parsed lazily; touch them all so malformed dates fail here, not in a REPORT.
    touchValues(root);
  } catch (error) {
    return fail('valid-calendar-data', (error as Error).message.split('\n')[0] ?? 'unparsable');
  }
  if (root.name !== 'vcalendar') return fail('valid-calendar-data', 'top-level component is not VCALENDAR');
  if (root.getFirstPropertyValue('version') !== '2.0') return fail('valid-calendar-data', 'VERSION:2.0 missing');
  if (root.hasProperty('method'))
    return fail('valid-calendar-object-resource', 'METHOD is not allowed in a calendar object resource');
  const comps = root.getAllSubcomponents().filter((c) => c.name !== 'vtimezone');
  if (comps.length === 0) return fail('valid-calendar-object-resource', 'no VEVENT, VTODO, VJOURNAL or VFREEBUSY');
  const types = new Set(comps.map((c) => c.name));
  if (types.size > 1) return fail('valid-calendar-object-resource', `mixed component types: ${[...types].join(', ')}`);
  const type = comps[0]!.name;
  if (!OBJECT_COMPONENTS.includes(type))
    return fail('valid-calendar-object-resource', `unexpected component ${type.toUpperCase()}`);
  const uids = new Set(comps.map((c) => c.getFirstPropertyValue('uid')));
  if (uids.has(null) || uids.has('')) return fail('valid-calendar-object-resource', 'component without UID');
  if (uids.size > 1) return fail('valid-calendar-object-resource', 'several UIDs in one resource');
  const rids = comps.map((c) => c.getFirstProperty('recurrence-id')?.toICALString() ?? 'MASTER');
  if (new Set(rids).size !== rids.length)
    return fail('valid-calendar-object-resource', 'duplicate master or RECURRENCE-ID');
  for (const c of comps) {
    if (type === 'vevent' && !c.hasProperty('dtstart')) return fail('valid-calendar-data', 'VEVENT without DTSTART');
    if (c.hasProperty('dtend') && c.hasProperty('duration'))
      return fail('valid-calendar-data', 'both DTEND and DURATION');
    if (c.hasProperty('due') && c.hasProperty('duration') && !c.hasProperty('dtstart'))
      return fail('valid-calendar-data', 'DURATION without DTSTART');
  }
  if (!allowed.includes(type.toUpperCase()))
    return fail('supported-calendar-component', `${type.toUpperCase()} not in this calendar's component set`);
  const tzids = new Set(root.getAllSubcomponents('vtimezone').map((z) => String(z.getFirstPropertyValue('tzid'))));
  const undefinedTz = comps.flatMap(tzidsUsed).find((t) => !tzids.has(t) && t.toUpperCase() !== 'UTC');
  // RFC 5545 §3.2.19 / RFC 4791 §4.1: every other TZID needs its VTIMEZONE (built-in ones were completed above).
  if (undefinedTz) return fail('valid-calendar-data', `TZID ${undefinedTz} has no VTIMEZONE`);
  const limits = dateLimits(comps) ?? instanceLimits(comps);
  if (limits) return limits;
  return { ok: true, uid: String(comps[0]!.getFirstPropertyValue('uid')), component: type.toUpperCase() };
}

function tzidsUsed(c: ICAL.Component): string[] {
  const own = c
    .getAllProperties()
    .map((p) => p.getParameter('tzid'))
    .filter((t): t is string => typeof t === 'string');
  return [...own, ...c.getAllSubcomponents().flatMap(tzidsUsed)];
}

function touchValues(c: ICAL.Component): void {
  for (const p of c.getAllProperties()) p.getValues();
  for (const s of c.getAllSubcomponents()) touchValues(s);
}

function dateLimits(comps: ICAL.Component[]): Validation | undefined {
  const min = parseUtc(MIN_DATE_TIME)!;
  const max = parseUtc(MAX_DATE_TIME)!;
  for (const c of comps) {
    const v = c.getFirstPropertyValue('dtstart');
    if (!(v instanceof ICAL.Time)) continue;
    const t = v.toUnixTime();
    if (t < min) return fail('min-date-time', 'DTSTART before the calendar min-date-time');
    if (t > max) return fail('max-date-time', 'DTSTART after the calendar max-date-time');
  }
  return undefined;
}

/**
 * RFC 4791 §5.2.8-5.2.9. Only bounded recurrences (COUNT or UNTIL) are counted: an endless RRULE is
 * legitimate (§5.2.7 accepts instances past max-date-time) and would otherwise always be refused.
 */
function instanceLimits(comps: ICAL.Component[]): Validation | undefined {
  for (const c of comps) {
    if (c.getAllProperties('attendee').length > MAX_ATTENDEES)
      return fail('max-attendees-per-instance', `more than ${MAX_ATTENDEES} attendees`);
  }
  const master = comps.find((c) => !c.hasProperty('recurrence-id'));
  const rule = master?.getFirstPropertyValue('rrule');
  if (!master || !(rule instanceof ICAL.Recur) || (!rule.count && !rule.until)) return undefined;
  const extra = master.getAllProperties('rdate').length;
  if (rule.count && rule.count + extra > MAX_INSTANCES)
    return fail('max-instances', `more than ${MAX_INSTANCES} instances`);
  if (rule.count) return undefined;
  const it = new ICAL.RecurExpansion({
    component: master,
    dtstart: master.getFirstPropertyValue('dtstart') as ICAL.Time,
  });
  let n = 0;
  while (it.next() && ++n <= MAX_INSTANCES);
  return n > MAX_INSTANCES ? fail('max-instances', `more than ${MAX_INSTANCES} instances`) : undefined;
}
