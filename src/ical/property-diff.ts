// Compares the instances of one property name in a stored component with those read back.
// Differences RFC 5545 gives the same meaning (a default added or dropped, a server-managed
// property, an extension the server added) become notes; anything else is a difference.
import { entryKey, sameParam, shown, type PropEntry } from './normalize.js';
import {
  isExtensionParameter,
  isExtensionProperty,
  PARAMETER_DEFAULTS,
  PROPERTY_DEFAULTS,
  SERVER_MANAGED,
} from './rules.js';

export interface ComponentRef {
  /** Full key, with UID, used in differences. */
  key: string;
  /** Short label without the UID, used in notes: `VEVENT`, `VEVENT/VALARM#0`. */
  label: string;
  /** Lower-case component name. */
  component: string;
}

export interface Verdict {
  diffs: string[];
  notes: string[];
}

export function compareProperty(
  ref: ComponentRef,
  name: string,
  expected: readonly PropEntry[],
  actual: readonly PropEntry[],
  out: Verdict,
): void {
  const exp = [...expected];
  const act = [...actual];
  // Identical entries first, so the looser matching below cannot steal a partner.
  for (let i = exp.length - 1; i >= 0; i--) {
    const j = act.findIndex((a) => entryKey(a) === entryKey(exp[i]!));
    if (j >= 0) {
      exp.splice(i, 1);
      act.splice(j, 1);
    }
  }
  for (let i = exp.length - 1; i >= 0; i--) {
    for (let j = 0; j < act.length; j++) {
      const notes = equivalentParams(exp[i]!, act[j]!);
      if (!notes) continue;
      out.notes.push(...notes.map((n) => `${ref.label}: ${n}`));
      exp.splice(i, 1);
      act.splice(j, 1);
      break;
    }
  }
  if (!exp.length && !act.length) return;
  const notes = legalLeftovers(ref.component, name, exp, act, expected.length === 0);
  if (notes) out.notes.push(...notes.map((n) => `${ref.label}: ${n}`));
  else if (!expected.length) out.diffs.push(`${ref.key} ${name.toUpperCase()}: unexpected property ${list(act)}`);
  else out.diffs.push(`${ref.key} ${name.toUpperCase()}: expected ${list(exp)}, got ${list(act)}`);
}

/** Same value; every parameter present on one side only is a default or one the server added. */
function equivalentParams(e: PropEntry, a: PropEntry): string[] | undefined {
  if (e.value !== a.value) return undefined;
  const notes: string[] = [];
  const what = `${e.name.toUpperCase()} ${brief(e.value)}`;
  for (const k of new Set([...e.params.keys(), ...a.params.keys()])) {
    const ev = e.params.get(k);
    const av = a.params.get(k);
    if (sameParam(ev, av)) continue;
    if (ev !== undefined && av !== undefined) return undefined;
    const present = (ev ?? av)!;
    const verb = ev === undefined ? 'added' : 'dropped';
    const fallback = PARAMETER_DEFAULTS.get(k.toLowerCase());
    if (fallback && sameParam(present, fallback.value)) {
      notes.push(`server ${verb} ${k}=${present} on ${what} (the default, RFC 5545 §${fallback.section})`);
    } else if (ev === undefined && isExtensionParameter(k.toLowerCase())) {
      // §3.2: applications ignore x-param and iana-param values they do not recognize.
      const kind = k.startsWith('X-') ? 'X-' : 'IANA';
      notes.push(`server added ${k}=${brief(present)} on ${what} (${kind} parameter, RFC 5545 §3.2)`);
    } else return undefined;
  }
  return notes;
}

/**
 * Unmatched entries of one name that still keep the meaning, as notes; undefined when they do not.
 * `notSent`: the client sent no property of this name at all.
 */
function legalLeftovers(
  component: string,
  name: string,
  exp: PropEntry[],
  act: PropEntry[],
  notSent: boolean,
): string[] | undefined {
  const NAME = name.toUpperCase();
  const managed = SERVER_MANAGED.get(name);
  if (managed) return [`server ${change(exp, act)} ${NAME}${values(exp, act)} (server-managed, RFC 5545 §${managed})`];
  const fallback = PROPERTY_DEFAULTS.get(name);
  if (fallback && fallback.components.includes(component)) {
    const isDefault = (e: PropEntry) => e.params.size === 0 && e.value.toUpperCase() === fallback.value;
    const why = `(the default, RFC 5545 §${fallback.section})`;
    if (!exp.length && act.every(isDefault)) return [`server added ${NAME}:${fallback.value} ${why}`];
    if (!act.length && exp.every(isDefault)) return [`server dropped ${NAME}:${fallback.value} ${why}`];
  }
  if (name === 'sequence') {
    // Not judged, as before: for scheduling objects the server itself maintains SEQUENCE (RFC 6638 §3.2.5).
    return [`server ${change(exp, act)} SEQUENCE${values(exp, act)} (not judged: RFC 6638 §3.2.5)`];
  }
  if (notSent && isExtensionProperty(name)) {
    const kind = name.startsWith('x-') ? 'X- property, RFC 5545 §3.8.8.2' : 'IANA property, RFC 5545 §3.8.8.1';
    return act.map((a) => `server added ${NAME}:${brief(shown(a))} (${kind})`);
  }
  return undefined;
}

function change(exp: PropEntry[], act: PropEntry[]): string {
  return !exp.length ? 'added' : !act.length ? 'dropped' : 'changed';
}

function values(exp: PropEntry[], act: PropEntry[]): string {
  if (!exp.length) return `:${brief(list(act))}`;
  if (!act.length) return `:${brief(list(exp))}`;
  return ` ${brief(list(exp))} → ${brief(list(act))}`;
}

function list(entries: PropEntry[]): string {
  return entries.map(shown).join(' | ') || '(absent)';
}

function brief(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
