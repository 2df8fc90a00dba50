// Semantic comparison of iCalendar objects: what a client stored must be what it gets back,
// but servers may legitimately rewrite DTSTAMP, PRODID, line folding, property order and the like.
import type ICAL from 'ical.js';
import { parseICal, propertyText } from './parse.js';

/** Properties a server may change without changing meaning. */
export const VOLATILE_PROPERTIES = ['dtstamp', 'prodid', 'last-modified', 'created', 'sequence', 'calscale'];

interface FlatComponent {
  key: string;
  props: Map<string, string[]>;
}

export function semanticDiff(
  expectedText: string,
  actualText: string,
  ignore: string[] = VOLATILE_PROPERTIES,
): string[] {
  const expected = flatten(parseICal(expectedText), ignore);
  const actual = flatten(parseICal(actualText), ignore);
  const diffs: string[] = [];
  const actualByKey = new Map(actual.map((c) => [c.key, c]));
  for (const exp of expected) {
    const act = actualByKey.get(exp.key);
    if (!act) {
      diffs.push(`missing component ${exp.key}`);
      continue;
    }
    actualByKey.delete(exp.key);
    for (const [name, values] of exp.props) {
      const got = act.props.get(name) ?? [];
      if (values.join('\u0000') !== got.join('\u0000')) {
        diffs.push(
          `${exp.key} ${name.toUpperCase()}: ` +
            `expected ${values.join(' | ') || '(absent)'}, got ${got.join(' | ') || '(absent)'}`,
        );
      }
    }
    for (const name of act.props.keys()) {
      if (!exp.props.has(name)) diffs.push(`${exp.key} ${name.toUpperCase()}: unexpected property`);
    }
  }
  for (const extra of actualByKey.keys()) diffs.push(`unexpected component ${extra}`);
  return diffs;
}

function flatten(root: ICAL.Component, ignore: string[]): FlatComponent[] {
  const out: FlatComponent[] = [];
  const counters = new Map<string, number>();
  const visit = (comp: ICAL.Component, path: string) => {
    const uid = comp.getFirstPropertyValue('uid');
    const rid = comp.getFirstProperty('recurrence-id');
    const tzid = comp.name === 'vtimezone' ? comp.getFirstPropertyValue('tzid') : undefined;
    let key = `${path}/${comp.name.toUpperCase()}`;
    if (uid) key += `[UID=${String(uid)}]`;
    if (rid) key += `[RECURRENCE-ID=${propertyText(rid)}]`;
    if (tzid) key += `[TZID=${String(tzid)}]`;
    // Components without identity (VALARM, STANDARD...) are told apart by order of appearance.
    const n = counters.get(key) ?? 0;
    counters.set(key, n + 1);
    if (!uid && !rid && !tzid && path) key += `#${n}`;
    const props = new Map<string, string[]>();
    for (const prop of comp.getAllProperties()) {
      if (ignore.includes(prop.name)) continue;
      const list = props.get(prop.name) ?? [];
      list.push(normalizedProperty(prop));
      props.set(prop.name, list);
    }
    for (const list of props.values()) list.sort();
    out.push({ key, props });
    for (const sub of comp.getAllSubcomponents()) visit(sub, key);
  };
  visit(root, '');
  return out;
}

function normalizedProperty(prop: ICAL.Property): string {
  let line = prop.toICALString();
  if (prop.name === 'rrule' || prop.name === 'exrule') {
    // RECUR parts are an unordered list (RFC 5545 §3.3.10): BYDAY;BYMONTH equals BYMONTH;BYDAY.
    const [head, value = ''] = splitValue(line);
    line = `${head}:${value.split(';').sort().join(';')}`;
  }
  // Parameter order and case are not significant; sort them after the name.
  const [head, ...rest] = splitValue(line);
  const [, ...params] = head.split(';');
  const normParams = params.map((p) => p.replace(/^[^=]+/, (n) => n.toUpperCase())).sort();
  return [normParams.join(';'), rest.join(':')].join(':');
}

function splitValue(line: string): string[] {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') quoted = !quoted;
    else if (line[i] === ':' && !quoted) return [line.slice(0, i), line.slice(i + 1)];
  }
  return [line];
}
