// iCalendar parsing through ical.js, with errors turned into one-line messages.
import ICAL from 'ical.js';

export type ICalComponent = ICAL.Component;

export class ICalParseError extends Error {}

/** Parse iCalendar text into its top-level component (normally VCALENDAR). */
export function parseICal(text: string): ICAL.Component {
  if (!/^\s*BEGIN:/i.test(text)) throw new ICalParseError('not iCalendar: body does not start with BEGIN:');
  let jcal: unknown;
  try {
    jcal = ICAL.parse(text);
  } catch (error) {
    throw new ICalParseError(`invalid iCalendar: ${(error as Error).message.split('\n')[0]}`);
  }
  // ICAL.parse returns an array of components when the text holds several; we only accept one.
  if (Array.isArray(jcal) && Array.isArray(jcal[0])) {
    throw new ICalParseError(`expected one VCALENDAR, found ${jcal.length} top-level components`);
  }
  return new ICAL.Component(jcal as unknown[]);
}

/** All components with the given name at any depth below (and including) root. */
export function componentsNamed(root: ICAL.Component, name: string): ICAL.Component[] {
  const wanted = name.toLowerCase();
  const out: ICAL.Component[] = [];
  const visit = (c: ICAL.Component) => {
    if (c.name === wanted) out.push(c);
    for (const sub of c.getAllSubcomponents()) visit(sub);
  };
  visit(root);
  return out;
}

/** Property value as iCalendar text (so dates compare as written, e.g. 20260101T090000Z). */
export function propertyText(prop: ICAL.Property): string {
  const text = prop.toICALString();
  const colon = findValueColon(text);
  return text.slice(colon + 1);
}

/** The colon that separates name;params from the value, skipping quoted parameter values. */
function findValueColon(line: string): number {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === ':' && !quoted) return i;
  }
  return line.length;
}

/** The first value of a property in the first component of that type, as text. */
export function firstPropertyText(root: ICAL.Component, component: string, property: string): string | undefined {
  for (const comp of componentsNamed(root, component)) {
    const prop = comp.getFirstProperty(property.toLowerCase());
    if (prop) return propertyText(prop);
  }
  return undefined;
}
