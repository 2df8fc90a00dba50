// RFC 7809 outside calendar data: CALDAV:timezone-service-set on calendar homes (§5.1),
// CALDAV:calendar-timezone-id as the by-identifier twin of CALDAV:calendar-timezone (§3.1.5, §5.2),
// and CALDAV:timezone-id in calendar-query (§3.1.6).
import { el, type XmlElement } from '../xml/index.js';
import { CAL, davError, hrefEl, textReply, type Ctx, type Reply } from './context.js';
import type { PropFailure, PropUpdate } from './proppatch.js';
import type { Resource } from './store.js';
import { timezoneFromText } from './timerange.js';
import { calendarWithZone } from './tzdata.js';
import { TZDIST_PATH } from './tzdist.js';

/** Live properties for propname listings; timezone-service-set is also protected (the server's own setting). */
export const TZREF_LIVE = [CAL('timezone-service-set'), CAL('calendar-timezone-id')];
export const TZREF_PROTECTED = [CAL('timezone-service-set')];

/** TZID of the calendar's default zone: what calendar-timezone holds (UTC until a client sets one). */
function calendarTimezoneId(r: Resource): string | undefined {
  const stored = r.props.get(CAL('calendar-timezone'));
  if (!stored) return r.kind === 'calendar' ? 'UTC' : undefined;
  return timezoneFromText(stored.text)?.tzid;
}

export function tzrefProp(ctx: Ctx, r: Resource, name: string): XmlElement | undefined {
  if (name === CAL('timezone-service-set')) {
    const isHome = r.kind === 'collection' && r.owner !== '' && r.path === ctx.state.layout.home(r.owner);
    return isHome ? el(name, [hrefEl(TZDIST_PATH)]) : undefined;
  }
  if (name === CAL('calendar-timezone-id')) {
    // §3.1.5: present wherever calendar-timezone is, and always naming the same zone.
    const tzid = calendarTimezoneId(r);
    return tzid === undefined ? undefined : el(name, [tzid]);
  }
  return undefined;
}

/** §3.1.5: an identifier the server does not know is refused with CALDAV:valid-timezone. */
export function checkTimezoneIdUpdate(u: PropUpdate): PropFailure | undefined {
  if (u.op !== 'set' || u.prop.name !== CAL('calendar-timezone-id')) return undefined;
  return calendarWithZone(u.prop.text.trim()) ? undefined : { status: 403, error: el(CAL('valid-timezone')) };
}

/**
 * calendar-timezone-id is never stored: setting it stores the zone's full definition as
 * calendar-timezone, from which the id is read back, so the two cannot disagree (§3.1.5).
 * Returns false for every other property.
 */
export function applyTimezoneIdUpdate(r: Resource, u: PropUpdate): boolean {
  if (u.prop.name !== CAL('calendar-timezone-id')) return false;
  const tz = CAL('calendar-timezone');
  if (u.op === 'remove') r.props.delete(tz);
  else r.props.set(tz, el(tz, [calendarWithZone(u.prop.text.trim())!]));
  return true;
}

/** §3.1.6 / §6.1: calendar-query takes CALDAV:timezone or CALDAV:timezone-id, not both; the id must be known. */
export function checkQueryTimezoneId(ctx: Ctx, root: XmlElement): Reply | undefined {
  const id = root.children.find((c) => c.name === CAL('timezone-id'));
  if (!id) return undefined;
  if (root.children.some((c) => c.name === CAL('timezone')))
    return textReply(400, 'calendar-query has both timezone and timezone-id');
  return calendarWithZone(id.text.trim()) ? undefined : davError(ctx, 403, CAL('valid-timezone'));
}

/** The zone a calendar-query names by identifier, in CALDAV:timezone form, if it names one. */
export function queryTimezoneText(query: XmlElement | undefined): string | undefined {
  const id = query?.children.find((c) => c.name === CAL('timezone-id'));
  return id ? calendarWithZone(id.text.trim()) : undefined;
}
