// Parsed-iCalendar cache for REPORTs, which evaluate the same stored objects again and again.
import type ICAL from 'ical.js';
import type { Resource } from './store.js';
import { parseWithZones } from './tzref.js';

const parsed = new WeakMap<Resource, { modSeq: number; comp: ICAL.Component | undefined }>();

/** The parsed VCALENDAR of a stored object, cached per revision (REPORTs parse the same data often). */
export function parsedCalendar(r: Resource): ICAL.Component | undefined {
  const hit = parsed.get(r);
  if (hit && hit.modSeq === r.modSeq) return hit.comp;
  let comp: ICAL.Component | undefined;
  try {
    // Zones stored by reference (RFC 7809) get their built-in definitions, so local times resolve.
    comp = parseWithZones(r.body).root;
  } catch {
    comp = undefined; // possible only under the 'accept-invalid-ical' fault
  }
  parsed.set(r, { modSeq: r.modSeq, comp });
  return comp;
}
