// CALDAV:calendar-data in responses (RFC 4791 §9.6): the stored object, optionally reduced by
// comp/prop selection, expanded into UTC instances (§9.6.5) or limited (§9.6.6).
import ICAL from 'ical.js';
import { el, type XmlElement } from '../xml/index.js';
import { CAL, DAV, type Ctx } from './context.js';
import type { Resource } from './store.js';
import { instances, overlaps, parseUtc, timezoneFromText, type Instance, type Range } from './timerange.js';
import { parseWithZones, servedBody, shapeZones } from './tzref.js';

export function renderCalendarData(ctx: Ctx, r: Resource, req: XmlElement): XmlElement {
  // Fault hook: the element emitted in the wrong namespace, so clients never find their data.
  const name = ctx.state.faults.has('caldata-wrong-namespace') ? DAV('calendar-data') : CAL('calendar-data');
  if (req.children.length === 0) return el(name, [servedBody(ctx, r)]);
  let root: ICAL.Component;
  let added: string[];
  try {
    // Zones stored by reference (RFC 7809) are filled in first: expansion needs their rules.
    ({ root, added } = parseWithZones(r.body));
  } catch {
    return el(name, [r.body]);
  }
  const floating = timezoneFromText(calendarTimezone(ctx, r));
  const expand = req.children.find((c) => c.name === CAL('expand'));
  const limit = req.children.find((c) => c.name === CAL('limit-recurrence-set'));
  const limitFb = req.children.find((c) => c.name === CAL('limit-freebusy-set'));
  if (expand) root = expandRecurrences(root, rangeOf(expand), floating);
  else if (limit) root = limitRecurrences(root, rangeOf(limit), floating);
  if (limitFb) root = limitFreeBusy(root, rangeOf(limitFb));
  shapeZones(ctx, root, added);
  const comp = req.children.find((c) => c.name === CAL('comp'));
  if (comp) root = select(root, comp);
  return el(name, [root.toString() + '\r\n']);
}

function calendarTimezone(ctx: Ctx, r: Resource): string | undefined {
  const parent = ctx.state.store.parentOf(r);
  const tz = parent?.props.get(CAL('calendar-timezone'));
  return tz?.text;
}

function rangeOf(node: XmlElement): Range {
  return { start: parseUtc(node.attrs.start ?? '') ?? -Infinity, end: parseUtc(node.attrs.end ?? '') ?? Infinity };
}

function cloneComp(c: ICAL.Component): ICAL.Component {
  return new ICAL.Component(JSON.parse(JSON.stringify(c.toJSON())) as unknown[]);
}

function cloneProp(p: ICAL.Property): ICAL.Property {
  return new ICAL.Property(JSON.parse(JSON.stringify(p.toJSON())) as unknown[]);
}

function utcTime(seconds: number, asDate: boolean): ICAL.Time {
  const t = ICAL.Time.fromJSDate(new Date(seconds * 1000), true);
  if (asDate) return ICAL.Time.fromData({ year: t.year, month: t.month, day: t.day, isDate: true });
  return t;
}

const OBJECT_TYPES = ['vevent', 'vtodo', 'vjournal'];

/** §9.6.5: every overlapping instance as its own component, times in UTC, no recurrence rules. */
function expandRecurrences(root: ICAL.Component, range: Range, floating?: ICAL.Timezone): ICAL.Component {
  const out = new ICAL.Component('vcalendar');
  for (const p of root.getAllProperties()) out.addProperty(cloneProp(p));
  for (const type of OBJECT_TYPES) {
    const comps = root.getAllSubcomponents(type);
    if (comps.length === 0) continue;
    const found: Instance[] = [];
    for (const inst of instances(comps, { floating, until: range.end, expand: true }))
      if (overlaps(inst, range)) found.push(inst);
    found.sort((a, b) => (a.start ?? 0) - (b.start ?? 0));
    for (const inst of found) out.addSubcomponent(instanceComponent(inst));
  }
  return out;
}

function instanceComponent(inst: Instance): ICAL.Component {
  const c = cloneComp(inst.comp);
  for (const p of ['rrule', 'rdate', 'exdate', 'exrule']) c.removeAllProperties(p);
  const isDate = inst.startTime?.isDate ?? false;
  if (inst.start !== undefined) c.updatePropertyWithValue('dtstart', utcTime(inst.start, isDate));
  if (c.hasProperty('dtend') && inst.end !== undefined) c.updatePropertyWithValue('dtend', utcTime(inst.end, isDate));
  if (c.hasProperty('due') && inst.due !== undefined) c.updatePropertyWithValue('due', utcTime(inst.due, isDate));
  if (inst.recurring && inst.recurrenceId !== undefined)
    c.updatePropertyWithValue('recurrence-id', utcTime(inst.recurrenceId, isDate));
  for (const p of ['dtstart', 'dtend', 'due', 'recurrence-id']) c.getFirstProperty(p)?.removeParameter('tzid');
  return c;
}

/** §9.6.6: keep the master, drop overridden instances that cannot affect the range. */
function limitRecurrences(root: ICAL.Component, range: Range, floating?: ICAL.Timezone): ICAL.Component {
  const out = cloneComp(root);
  for (const type of OBJECT_TYPES) {
    for (const c of out.getAllSubcomponents(type)) {
      if (!c.hasProperty('recurrence-id')) continue;
      const [inst] = instances([c], { floating, until: range.end, expand: true });
      const rid = inst?.recurrenceId;
      // A THISANDFUTURE override also changes every later instance, so it matters if it starts before the range ends.
      const future =
        String(c.getFirstProperty('recurrence-id')?.getParameter('range') ?? '').toUpperCase() === 'THISANDFUTURE';
      const keep =
        (inst && overlaps(inst, range)) ||
        (rid !== undefined && rid >= range.start && rid < range.end) ||
        (future && rid !== undefined && rid < range.end);
      if (!keep) out.removeSubcomponent(c);
    }
  }
  return out;
}

/** §9.6.1: keep only the named components and properties. */
function select(root: ICAL.Component, spec: XmlElement): ICAL.Component {
  const out = new ICAL.Component(root.name);
  const allprop = spec.children.some((c) => c.name === CAL('allprop'));
  const props = spec.children.filter((c) => c.name === CAL('prop')).map((c) => (c.attrs.name ?? '').toLowerCase());
  // §9.6.4: novalue="yes" returns the property (and its parameters) without its value.
  const novalue = new Set(
    spec.children
      .filter((c) => c.name === CAL('prop') && c.attrs.novalue === 'yes')
      .map((c) => (c.attrs.name ?? '').toLowerCase()),
  );
  for (const p of root.getAllProperties()) {
    if (!allprop && !props.includes(p.name)) continue;
    const copy = cloneProp(p);
    if (novalue.has(p.name)) copy.setValue('');
    out.addProperty(copy);
  }
  const allcomp = spec.children.some((c) => c.name === CAL('allcomp'));
  const comps = spec.children.filter((c) => c.name === CAL('comp'));
  for (const sub of root.getAllSubcomponents()) {
    if (allcomp) out.addSubcomponent(cloneComp(sub));
    else {
      const s = comps.find((c) => (c.attrs.name ?? '').toLowerCase() === sub.name);
      if (s) out.addSubcomponent(select(sub, s));
    }
  }
  return out;
}

/** §9.6.7: keep only the FREEBUSY periods of VFREEBUSY components that overlap the range. */
function limitFreeBusy(root: ICAL.Component, range: Range): ICAL.Component {
  const out = cloneComp(root);
  for (const fb of out.getAllSubcomponents('vfreebusy')) {
    for (const prop of fb.getAllProperties('freebusy')) {
      const kept = prop.getValues().filter((v) => {
        if (!(v instanceof ICAL.Period)) return false;
        const start = v.start.toUnixTime();
        const end = v.getEnd().toUnixTime();
        return start < range.end && end > range.start;
      });
      if (kept.length === 0) fb.removeProperty(prop);
      else prop.setValues(kept);
    }
  }
  return out;
}
