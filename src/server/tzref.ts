// RFC 7809 time zones by reference, for calendar data: stored objects may name a built-in zone
// without its VTIMEZONE (§3.1.4). They are stored exactly as sent; the built-in definition is put in
// whenever the data is read — for time-range evaluation always, and on the way out to a client
// according to its CalDAV-Timezones preference (§3.1.3).
import ICAL from 'ical.js';
import { header, type Ctx } from './context.js';
import type { Resource } from './store.js';
import { BUILTIN_VTIMEZONES } from './tzdata.js';

export function isKnownTzid(tzid: string): boolean {
  return BUILTIN_VTIMEZONES.has(tzid);
}

/**
 * jCal arrays as ical.js produces them: [name, properties, subcomponents];
 * a property is [name, params, type, ...values].
 */
type JCalComponent = [string, JCalProperty[], JCalComponent[]];
type JCalProperty = [string, Record<string, unknown>, string, ...unknown[]];

const parsedZones = new Map<string, JCalComponent>();

/** A fresh jCal VTIMEZONE for a built-in zone (callers mutate what they get, so never the cached one). */
function vtimezoneJcal(tzid: string): JCalComponent {
  let zone = parsedZones.get(tzid);
  if (!zone) {
    zone = ICAL.parse(BUILTIN_VTIMEZONES.get(tzid)!) as JCalComponent;
    parsedZones.set(tzid, zone);
  }
  return JSON.parse(JSON.stringify(zone)) as JCalComponent;
}

function isVcalendar(jcal: unknown): jcal is JCalComponent {
  return Array.isArray(jcal) && jcal[0] === 'vcalendar' && Array.isArray(jcal[1]) && Array.isArray(jcal[2]);
}

function tzidOfZone(zone: JCalComponent): string | undefined {
  const prop = zone[1].find((p) => p[0] === 'tzid');
  return prop === undefined ? undefined : String(prop[3]);
}

function collectTzids(comp: JCalComponent, into: Set<string>): void {
  if (comp[0] === 'vtimezone') return; // a VTIMEZONE's own times are local and carry no TZID
  for (const p of comp[1]) if (typeof p[1].tzid === 'string') into.add(p[1].tzid);
  for (const c of comp[2]) collectTzids(c, into);
}

/**
 * Add the built-in VTIMEZONE of every known TZID the VCALENDAR uses but does not define, in place
 * and before any other component (where readers expect definitions). A zone the client defined
 * itself is left alone: its definition wins. Returns the TZIDs added.
 */
export function completeZones(jcal: unknown): string[] {
  if (!isVcalendar(jcal)) return [];
  const defined = new Set(jcal[2].filter((c) => c[0] === 'vtimezone').map(tzidOfZone));
  const used = new Set<string>();
  collectTzids(jcal, used);
  const added = [...used].filter((t) => !defined.has(t) && isKnownTzid(t));
  jcal[2].unshift(...added.map(vtimezoneJcal));
  return added;
}

/** Stored iCalendar parsed with its referenced built-in zones filled in, so local times resolve. */
export function parseWithZones(body: string): { root: ICAL.Component; added: string[] } {
  const jcal = ICAL.parse(body) as unknown;
  const added = completeZones(jcal);
  return { root: new ICAL.Component(jcal as unknown[]), added };
}

/**
 * §7.1: "F" asks the server to leave out VTIMEZONEs the client can fetch by reference; "T" and no
 * header both get them (§3.1.3 would let us omit them by default, but old clients rely on them).
 */
export function wantsZones(ctx: Ctx): boolean {
  return header(ctx, 'caldav-timezones')?.trim().toUpperCase() !== 'F';
}

/**
 * Shape the VTIMEZONEs of outgoing data (`added`: those completeZones put in). With "F", §3.1.3
 * forbids sending any zone the advertised service provides — the client's own copy included — but a
 * zone unknown to it must stay. Returns the TZIDs removed.
 */
export function shapeZones(ctx: Ctx, root: ICAL.Component, added: readonly string[]): string[] {
  let drop: (tzid: string) => boolean;
  if (!wantsZones(ctx)) drop = isKnownTzid;
  // Fault hook: the server never adds the zones it stores by reference, whatever the client asked for.
  else if (ctx.state.faults.has('tzref-vtimezone-missing')) drop = (tzid) => added.includes(tzid);
  else return [];
  const removed: string[] = [];
  for (const zone of root.getAllSubcomponents('vtimezone')) {
    const tzid = String(zone.getFirstPropertyValue('tzid'));
    if (!drop(tzid)) continue;
    root.removeSubcomponent(zone);
    removed.push(tzid);
  }
  return removed;
}

const served = new WeakMap<Resource, { modSeq: number; withZones?: string; withoutZones?: string }>();

/**
 * The text of a stored calendar object as served to this client (GET, full calendar-data,
 * getcontentlength). It is the stored text itself whenever no VTIMEZONE has to be added or dropped.
 * Cached per revision and preference: PROPFINDs ask for the length of every member.
 */
export function servedBody(ctx: Ctx, r: Resource): string {
  let hit = served.get(r);
  if (hit?.modSeq !== r.modSeq) served.set(r, (hit = { modSeq: r.modSeq }));
  const key = wantsZones(ctx) ? 'withZones' : 'withoutZones';
  return (hit[key] ??= shapeBody(ctx, r.body));
}

function shapeBody(ctx: Ctx, body: string): string {
  if (!/TZID/i.test(body)) return body; // nothing to add or drop: skip the parse
  let parsed: { root: ICAL.Component; added: string[] };
  try {
    parsed = parseWithZones(body);
  } catch {
    return body; // unparsable data exists only under the 'accept-invalid-ical' fault
  }
  const removed = shapeZones(ctx, parsed.root, parsed.added);
  const changed = parsed.added.some((t) => !removed.includes(t)) || removed.some((t) => !parsed.added.includes(t));
  return changed ? parsed.root.toString() + '\r\n' : body;
}
