// Request preconditions of calendar-query and calendar-multiget (RFC 4791 §7.8-7.9) beyond filter
// syntax (filter.ts): what calendar-data may ask for, CALDAV:timezone validity, filters that are
// well-formed but meaningless, and ranges outside min-date-time / max-date-time.
import ICAL from 'ical.js';
import type { XmlElement } from '../xml/index.js';
import { CAL, DAV, davError, textReply, type Ctx, type Reply } from './context.js';
import { MAX_DATE_TIME, MIN_DATE_TIME } from './limits.js';
import { parseUtc } from './timerange.js';

/** Components that only occur directly below VCALENDAR (§9.7.1: a comp-filter names a sub-component). */
const TOP_LEVEL = ['VEVENT', 'VTODO', 'VJOURNAL', 'VFREEBUSY', 'VTIMEZONE', 'VAVAILABILITY'];
/** Properties with date or date-time values: the only ones a prop-filter time-range can test (§9.9). */
const TIME_PROPS = [
  'DTSTART',
  'DTEND',
  'DUE',
  'COMPLETED',
  'CREATED',
  'LAST-MODIFIED',
  'DTSTAMP',
  'RECURRENCE-ID',
  'EXDATE',
  'RDATE',
  'TRIGGER',
  'FREEBUSY',
  'ACKNOWLEDGED',
];

type Condition = 'valid-filter' | 'min-date-time' | 'max-date-time';

function rangeCondition(node: XmlElement): Condition | 'bad-range' | undefined {
  const start = parseUtc(node.attrs.start ?? '');
  const end = parseUtc(node.attrs.end ?? '');
  if (start !== undefined && end !== undefined && end < start) return 'bad-range';
  if (start !== undefined && start < parseUtc(MIN_DATE_TIME)!) return 'min-date-time';
  if (end !== undefined && end > parseUtc(MAX_DATE_TIME)! + 1) return 'max-date-time';
  return undefined;
}

function checkNode(node: XmlElement, parentComp: string): Condition | undefined {
  const name = (node.attrs.name ?? '').toUpperCase();
  const here = node.name === CAL('comp-filter') ? name : parentComp;
  for (const c of node.children) {
    if (c.name === CAL('comp-filter')) {
      const sub = (c.attrs.name ?? '').toUpperCase();
      if ((here !== 'VCALENDAR' && TOP_LEVEL.includes(sub)) || sub === 'VCALENDAR') return 'valid-filter';
    }
    if (c.name === CAL('time-range')) {
      if (node.name === CAL('prop-filter') && !TIME_PROPS.includes(name) && !name.startsWith('X-'))
        return 'valid-filter';
      const r = rangeCondition(c);
      if (r) return r === 'bad-range' ? 'valid-filter' : r;
    }
    const bad = checkNode(c, here);
    if (bad) return bad;
  }
  return undefined;
}

/** Semantic filter checks, after filter.ts accepted the syntax. */
export function checkFilterSemantics(ctx: Ctx, filter: XmlElement): Reply | undefined {
  const top = filter.children[0];
  const bad = top ? checkNode(top, '') : undefined;
  return bad ? davError(ctx, 403, CAL(bad)) : undefined;
}

/** CALDAV:timezone must be an iCalendar object with exactly one VTIMEZONE (§9.8). */
export function checkTimezoneElement(ctx: Ctx, root: XmlElement): Reply | undefined {
  const tz = root.children.find((c) => c.name === CAL('timezone'));
  if (!tz) return undefined;
  try {
    const cal = new ICAL.Component(ICAL.parse(tz.text) as unknown[]);
    if (cal.name === 'vcalendar' && cal.getAllSubcomponents('vtimezone').length === 1) return undefined;
  } catch {
    // falls through to the refusal
  }
  return davError(ctx, 403, CAL('valid-calendar-data'));
}

/** The calendar-data element requested in the report's DAV:prop, if any. */
function calendarDataRequest(root: XmlElement): XmlElement | undefined {
  return root.children.find((c) => c.name === DAV('prop'))?.children.find((c) => c.name === CAL('calendar-data'));
}

/** §9.6: only text/calendar 2.0 is served; expand / limit ranges must be ordered and within limits. */
export function checkCalendarDataRequest(ctx: Ctx, root: XmlElement): Reply | undefined {
  const cd = calendarDataRequest(root);
  if (!cd) return undefined;
  const type = (cd.attrs['content-type'] ?? 'text/calendar').split(';')[0]!.trim().toLowerCase();
  if (type !== 'text/calendar' || (cd.attrs.version ?? '2.0') !== '2.0')
    return davError(ctx, 403, CAL('supported-calendar-data'));
  for (const c of cd.children) {
    if (c.name !== CAL('expand') && c.name !== CAL('limit-recurrence-set') && c.name !== CAL('limit-freebusy-set'))
      continue;
    const r = rangeCondition(c);
    if (r === 'bad-range') return textReply(400, `${c.name.replace(/^\{[^}]*\}/, '')}: end is before start`);
    if (r) return davError(ctx, 403, CAL(r));
  }
  return undefined;
}
