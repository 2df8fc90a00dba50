// One iCalendar property in a form where equal meaning gives equal text: line folding, escaping,
// parameter order and quoting, parameter-name case and an explicit default VALUE are gone; list
// values are split one per entry (RFC 5545 §3.1.1, §3.1.2); enumerated values are upper-cased (§3.1).
import ICAL from 'ical.js';
import { propertyText } from './parse.js';
import { ENUMERATED_PROPERTIES, LIST_PROPERTIES } from './rules.js';

export interface PropEntry {
  /** Lower-case property name. */
  name: string;
  /** The value as iCalendar text, normalized. */
  value: string;
  /** Upper-case parameter name → value as written (compare with sameParam: values are case-insensitive). */
  params: Map<string, string>;
}

export function propertyEntries(prop: ICAL.Property): PropEntry[] {
  const params = parameters(prop);
  if (LIST_PROPERTIES.has(prop.name)) {
    const [name, rawParams, type, ...values] = prop.toJSON() as [string, unknown, string, ...unknown[]];
    return values.map((v) => ({ name, params, value: propertyText(new ICAL.Property([name, rawParams, type, v])) }));
  }
  let value = propertyText(prop);
  // RECUR parts are an unordered list (§3.3.10): BYDAY;BYMONTH equals BYMONTH;BYDAY.
  if (prop.name === 'rrule' || prop.name === 'exrule') value = value.split(';').sort().join(';');
  if (ENUMERATED_PROPERTIES.has(prop.name)) value = value.toUpperCase();
  return [{ name: prop.name, params, value }];
}

function parameters(prop: ICAL.Property): Map<string, string> {
  const out = new Map<string, string>();
  const raw = (prop.toJSON() as [string, Record<string, unknown>])[1] ?? {};
  for (const [name, value] of Object.entries(raw)) {
    // Multi-valued parameters (MEMBER, DELEGATED-TO) are lists without order (§3.1.1).
    out.set(name.toUpperCase(), Array.isArray(value) ? value.map(String).sort().join(',') : String(value));
  }
  // ical.js moves VALUE into the property's type and drops it when it is the default; X- and IANA
  // properties default to TEXT (§3.8.8.1, §3.8.8.2), which ical.js calls "unknown" when VALUE is absent.
  const type = prop.type === 'unknown' ? 'text' : prop.type;
  const fallback = prop.getDefaultType();
  if (type !== (fallback === 'unknown' ? 'text' : fallback)) out.set('VALUE', type.toUpperCase());
  return out;
}

/** Parameter values are case-insensitive (RFC 5545 §3.1, §3.2). */
export function sameParam(a: string | undefined, b: string | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.toUpperCase() === b.toUpperCase());
}

/** Parameters first (sorted), then the value: equal strings mean the same property. */
export function entryKey(e: PropEntry): string {
  const params = [...e.params].map(([k, v]) => `${k}=${v.toUpperCase()}`).sort();
  return `${params.join(';')}\u0000${e.value}`;
}

/** The entry as it would be written, for messages: `ROLE=CHAIR:mailto:a@example.com`. */
export function shown(e: PropEntry): string {
  const params = [...e.params].map(([k, v]) => `${k}=${v}`).sort();
  // Quoted when whitespace at either end would otherwise be invisible in a message.
  const value = /^\s|\s$/.test(e.value) ? JSON.stringify(e.value) : e.value;
  return params.length ? `${params.join(';')}:${value}` : value;
}
