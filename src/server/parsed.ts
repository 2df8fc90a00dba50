// Parsed-iCalendar cache for REPORTs, which evaluate the same stored objects again and again.
import ICAL from 'ical.js';
import type { Resource } from './store.js';

const parsed = new WeakMap<Resource, { modSeq: number; comp: ICAL.Component | undefined }>();

/** The parsed VCALENDAR of a stored object, cached per revision (REPORTs parse the same data often). */
export function parsedCalendar(r: Resource): ICAL.Component | undefined {
  const hit = parsed.get(r);
  if (hit && hit.modSeq === r.modSeq) return hit.comp;
  let comp: ICAL.Component | undefined;
  try {
    comp = new ICAL.Component(ICAL.parse(r.body) as unknown[]);
  } catch {
    comp = undefined; // possible only under the 'accept-invalid-ical' fault
  }
  parsed.set(r, { modSeq: r.modSeq, comp });
  return comp;
}
