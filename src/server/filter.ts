// CALDAV:filter evaluation (RFC 4791 §9.7): comp-filter / prop-filter / param-filter, text-match
// with the two mandatory collations, is-not-defined, and time-range through timerange.ts.
import ICAL from 'ical.js';
import type { XmlElement } from '../xml/index.js';
import { CAL } from './context.js';
import type { Faults } from './faults.js';
import { alarmTimes, instances, overlaps, parseUtc, singleInstance, type Instance, type Range } from './timerange.js';

export const COLLATIONS = ['i;ascii-casemap', 'i;octet'];
const RECURRING = new Set(['VEVENT', 'VTODO', 'VJOURNAL', 'VFREEBUSY']);
/** How far past an alarm range we look for parent instances whose (negative-offset) alarms fire in it. */
const ALARM_LOOKAHEAD = 7 * 86400;

export interface FilterOptions {
  floating?: ICAL.Timezone;
  faults: Faults;
}

/** Structural check of a filter. Returns the violated precondition's local name, if any. */
export function checkFilter(filter: XmlElement): 'valid-filter' | 'supported-collation' | undefined {
  const top = filter.children;
  if (top.length !== 1 || top[0]!.name !== CAL('comp-filter') || top[0]!.attrs.name?.toUpperCase() !== 'VCALENDAR')
    return 'valid-filter';
  if (top[0]!.children.some((c) => c.name === CAL('time-range'))) return 'valid-filter';
  return checkNode(top[0]!);
}

function checkNode(node: XmlElement): 'valid-filter' | 'supported-collation' | undefined {
  const allowed: Record<string, string[]> = {
    [CAL('comp-filter')]: [CAL('is-not-defined'), CAL('time-range'), CAL('prop-filter'), CAL('comp-filter')],
    [CAL('prop-filter')]: [CAL('is-not-defined'), CAL('time-range'), CAL('text-match'), CAL('param-filter')],
    [CAL('param-filter')]: [CAL('is-not-defined'), CAL('text-match')],
  };
  if (node.name === CAL('time-range')) {
    const { start, end } = node.attrs;
    if (start === undefined && end === undefined) return 'valid-filter';
    if (start !== undefined && parseUtc(start) === undefined) return 'valid-filter';
    if (end !== undefined && parseUtc(end) === undefined) return 'valid-filter';
    return undefined;
  }
  if (node.name === CAL('text-match')) {
    return COLLATIONS.includes(collationOf(node)) ? undefined : 'supported-collation';
  }
  if (node.name === CAL('is-not-defined')) return undefined;
  const ok = allowed[node.name];
  if (!ok || !node.attrs.name) return 'valid-filter';
  for (const c of node.children) {
    if (!ok.includes(c.name)) return 'valid-filter';
    const bad = checkNode(c);
    if (bad) return bad;
  }
  return undefined;
}

/** RFC 4790 §3.1 / RFC 4791 §7.5.1: "default" names the protocol's default, i;ascii-casemap. */
function collationOf(tm: XmlElement): string {
  const c = tm.attrs.collation ?? 'default';
  return c === 'default' ? 'i;ascii-casemap' : c;
}

function rangeOf(tr: XmlElement): Range {
  return { start: parseUtc(tr.attrs.start ?? '') ?? -Infinity, end: parseUtc(tr.attrs.end ?? '') ?? Infinity };
}

function child(node: XmlElement, name: string): XmlElement | undefined {
  return node.children.find((c) => c.name === name);
}

/** Does a VCALENDAR match a (checked) filter? */
export function matchesFilter(vcal: ICAL.Component, filter: XmlElement, opts: FilterOptions): boolean {
  const top = filter.children[0]!;
  if (vcal.name !== 'vcalendar') return false;
  return subtests(top, vcal, undefined, opts);
}

function subtests(cf: XmlElement, comp: ICAL.Component, inst: Instance | undefined, opts: FilterOptions): boolean {
  for (const c of cf.children) {
    if (c.name === CAL('prop-filter') && !propFilter(c, comp, opts)) return false;
    if (c.name === CAL('comp-filter') && !compFilter(c, comp, inst, opts)) return false;
  }
  return true;
}

function compFilter(
  cf: XmlElement,
  parent: ICAL.Component,
  parentInst: Instance | undefined,
  opts: FilterOptions,
): boolean {
  const name = (cf.attrs.name ?? '').toUpperCase();
  const comps = parent.getAllSubcomponents(name.toLowerCase());
  if (child(cf, CAL('is-not-defined'))) return comps.length === 0;
  if (comps.length === 0) return false;
  const tr = child(cf, CAL('time-range'));
  const endInclusive = opts.faults.has('timerange-end-inclusive');
  if (name === 'VALARM') {
    return comps.some((alarm) => {
      if (tr) {
        const r = rangeOf(tr);
        const owner = parentInst ?? singleInstance(parent, opts.floating);
        if (!alarmTimes(alarm, owner).some((t) => r.start <= t && (endInclusive ? t <= r.end : t < r.end)))
          return false;
      }
      return subtests(cf, alarm, parentInst, opts);
    });
  }
  if (parent.name === 'vcalendar' && RECURRING.has(name)) {
    const nestedAlarm = findAlarmRange(cf);
    if (!tr && !nestedAlarm) return comps.some((c) => subtests(cf, c, singleInstance(c, opts.floating), opts));
    const range = tr ? rangeOf(tr) : { start: -Infinity, end: Infinity };
    const until = tr ? range.end : nestedAlarm!.end + ALARM_LOOKAHEAD;
    // Fault hook: only the master's own DTSTART/DTEND are tested, never later occurrences.
    const expand = !opts.faults.has('recurrence-not-expanded');
    for (const byUid of groupByUid(comps)) {
      for (const inst of instances(byUid, { floating: opts.floating, until, expand })) {
        if (tr && !overlaps(inst, range, endInclusive)) continue;
        if (subtests(cf, inst.comp, inst, opts)) return true;
      }
    }
    return false;
  }
  return comps.some((c) => {
    const inst = singleInstance(c, opts.floating);
    if (tr && !overlaps(inst, rangeOf(tr), endInclusive)) return false;
    return subtests(cf, c, inst, opts);
  });
}

function findAlarmRange(cf: XmlElement): Range | undefined {
  for (const c of cf.children) {
    if (c.name !== CAL('comp-filter') || c.attrs.name?.toUpperCase() !== 'VALARM') continue;
    const tr = child(c, CAL('time-range'));
    if (tr) return rangeOf(tr);
  }
  return undefined;
}

function groupByUid(comps: ICAL.Component[]): ICAL.Component[][] {
  const groups = new Map<string, ICAL.Component[]>();
  for (const c of comps) {
    const uid = String(c.getFirstPropertyValue('uid') ?? '');
    groups.set(uid, [...(groups.get(uid) ?? []), c]);
  }
  return [...groups.values()];
}

function propFilter(pf: XmlElement, comp: ICAL.Component, opts: FilterOptions): boolean {
  const props = comp.getAllProperties((pf.attrs.name ?? '').toLowerCase());
  if (child(pf, CAL('is-not-defined'))) return props.length === 0;
  const tr = child(pf, CAL('time-range'));
  const tm = child(pf, CAL('text-match'));
  const params = pf.children.filter((c) => c.name === CAL('param-filter'));
  const inRange = (t: number) => {
    const r = rangeOf(tr!);
    return r.start <= t && t < r.end;
  };
  if (tr && props.length === 0 && !tm && params.length === 0) {
    const end = effectiveEnd(comp, (pf.attrs.name ?? '').toUpperCase());
    return end !== undefined && inRange(end);
  }
  return props.some((p) => {
    if (tr) {
      const v = p.getFirstValue();
      if (!(v instanceof ICAL.Time) || !inRange(v.toUnixTime())) return false;
    }
    if (tm && !textMatch(tm, p.getValues().map(String).join(','), opts)) return false;
    return params.every((pm) => paramFilter(pm, p, opts));
  });
}

/**
 * RFC 4791 §9.9 has the server infer effective DTEND and DUE values: a VEVENT without DTEND (or a VTODO
 * without DUE) that has DTSTART and DURATION ends at DTSTART + DURATION for a time-range test.
 */
function effectiveEnd(comp: ICAL.Component, propName: string): number | undefined {
  if (!(propName === 'DTEND' && comp.name === 'vevent') && !(propName === 'DUE' && comp.name === 'vtodo'))
    return undefined;
  const start = comp.getFirstPropertyValue('dtstart');
  const duration = comp.getFirstPropertyValue('duration');
  if (!(start instanceof ICAL.Time) || !(duration instanceof ICAL.Duration)) return undefined;
  const end = start.clone();
  end.addDuration(duration);
  return end.toUnixTime();
}

function paramFilter(pm: XmlElement, prop: ICAL.Property, opts: FilterOptions): boolean {
  const value = prop.getParameter((pm.attrs.name ?? '').toLowerCase());
  if (child(pm, CAL('is-not-defined'))) return value === undefined;
  if (value === undefined) return false;
  const tm = child(pm, CAL('text-match'));
  return tm ? textMatch(tm, Array.isArray(value) ? value.join(',') : String(value), opts) : true;
}

function asciiFold(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** RFC 4791 §9.7.5: substring match under the collation, optionally negated. */
export function textMatch(tm: XmlElement, value: string, opts: FilterOptions): boolean {
  const collation = collationOf(tm);
  const needle = tm.text;
  // Fault hook: the default collation compared octet by octet.
  const fold = collation === 'i;ascii-casemap' && !opts.faults.has('textmatch-case-sensitive');
  const hit = fold ? asciiFold(value).includes(asciiFold(needle)) : value.includes(needle);
  return tm.attrs['negate-condition'] === 'yes' ? !hit : hit;
}
