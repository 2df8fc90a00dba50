// Semantic comparison of iCalendar objects: what a client stored must be what it gets back. A server
// may store a modified object (RFC 4791 §5.3.4), so differences RFC 5545 gives the same meaning are
// not failures; they come back as notes, so a report can still say what the server changed.
import type ICAL from 'ical.js';
import { parseICal, propertyText } from './parse.js';
import { propertyEntries, type PropEntry } from './normalize.js';
import { compareProperty, type ComponentRef, type Verdict } from './property-diff.js';

export type { Verdict } from './property-diff.js';

interface FlatComponent extends ComponentRef {
  props: Map<string, PropEntry[]>;
}

/**
 * Differences that change the meaning (`diffs`) and legal changes the server made (`notes`).
 * `ignore`: property names left out entirely, on top of the rules (a suite's `ignore:`).
 */
export function compareICal(expectedText: string, actualText: string, ignore: readonly string[] = []): Verdict {
  const skip = new Set(ignore.map((n) => n.toLowerCase()));
  const expected = flatten(parseICal(expectedText), skip);
  const actual = flatten(parseICal(actualText), skip);
  const out: Verdict = { diffs: [], notes: [] };
  const actualByKey = new Map(actual.map((c) => [c.key, c]));
  for (const exp of expected) {
    const act = actualByKey.get(exp.key);
    if (!act) {
      out.diffs.push(`missing component ${exp.key}`);
      continue;
    }
    actualByKey.delete(exp.key);
    for (const name of new Set([...exp.props.keys(), ...act.props.keys()])) {
      compareProperty(exp, name, exp.props.get(name) ?? [], act.props.get(name) ?? [], out);
    }
  }
  for (const extra of actualByKey.keys()) out.diffs.push(`unexpected component ${extra}`);
  return out;
}

function flatten(root: ICAL.Component, skip: ReadonlySet<string>): FlatComponent[] {
  const out: FlatComponent[] = [];
  const counters = new Map<string, number>();
  const visit = (comp: ICAL.Component, path: string, labelPath: string) => {
    const uid = comp.getFirstPropertyValue('uid');
    const rid = comp.getFirstProperty('recurrence-id');
    const tzid = comp.name === 'vtimezone' ? comp.getFirstPropertyValue('tzid') : undefined;
    let key = `${path}/${comp.name.toUpperCase()}`;
    let label = `${labelPath}/${comp.name.toUpperCase()}`;
    if (uid) key += `[UID=${String(uid)}]`;
    const identity = `${rid ? `[RECURRENCE-ID=${propertyText(rid)}]` : ''}${tzid ? `[TZID=${String(tzid)}]` : ''}`;
    key += identity;
    label += identity;
    // Components without identity (VALARM, STANDARD...) are told apart by order of appearance.
    const n = counters.get(key) ?? 0;
    counters.set(key, n + 1);
    if (!uid && !rid && !tzid && path) {
      key += `#${n}`;
      label += `#${n}`;
    }
    const props = new Map<string, PropEntry[]>();
    for (const prop of comp.getAllProperties()) {
      if (skip.has(prop.name)) continue;
      props.set(prop.name, [...(props.get(prop.name) ?? []), ...propertyEntries(prop)]);
    }
    out.push({ key, label: label.replace(/^\/VCALENDAR\/(?=.)/, '').replace(/^\//, ''), component: comp.name, props });
    for (const sub of comp.getAllSubcomponents()) visit(sub, key, label);
  };
  visit(root, '', '');
  return out;
}
