// `ical`: iCalendar returned by the server (a GET body, or calendar-data inside a multistatus)
// parses, has the expected components/properties, and keeps the semantics of what was stored.
//   - ical: { component: VEVENT, count: 3 }
//   - ical: { source: calendar-data, href: "${cal}a.ics", property: { name: SUMMARY, equals: Lunch } }
//   - ical: { sameAsFile: ical/event-basic.ics }       (semantic match; legal server changes become notes)
import type ICAL from 'ical.js';
import type { CheckContext, CheckKind, CheckOutcome } from './types.js';
import { outcome } from './types.js';
import { pickResponse } from './select.js';
import { componentsNamed, parseICal, propertyText } from '../ical/parse.js';
import { compareICal, type Verdict } from '../ical/compare.js';
import { findProp } from '../xml/multistatus.js';
import { deepText } from '../xml/element.js';

export interface IcalArgs {
  source?: 'body' | 'calendar-data';
  href?: string;
  component?: string;
  count?: number;
  property?: {
    name: string;
    equals?: string;
    matches?: string;
    absent?: boolean;
    in?: string;
    /** A parameter of (at least one instance of) the property: FBTYPE, PARTSTAT, X-... */
    param?: { name: string; equals?: string; absent?: boolean };
    /** Exact number of instances of the property. */
    count?: number;
  };
  /** Expected iCalendar text (suites usually write `sameAsFile:` which the runner loads into this). */
  sameAs?: string;
  ignore?: string[];
}

const CALDATA = '{urn:ietf:params:xml:ns:caldav}calendar-data';

export const icalCheck: CheckKind<IcalArgs> = {
  name: 'ical',
  summary:
    'iCalendar (body or calendar-data) parses, has N components, a property value, or semantically equals a fixture',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      source: { enum: ['body', 'calendar-data'] },
      href: { type: 'string' },
      component: { type: 'string', pattern: '^[A-Za-z-]+$' },
      count: { type: 'integer', minimum: 0 },
      property: {
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', minLength: 1 },
          equals: { type: 'string' },
          matches: { type: 'string', format: 'regex' },
          absent: { const: true },
          in: {
            type: 'string',
            description: 'component holding the property (default: the `component` arg, else VEVENT/VTODO/VJOURNAL)',
          },
          count: { type: 'integer', minimum: 0 },
          param: {
            type: 'object',
            required: ['name'],
            additionalProperties: false,
            properties: { name: { type: 'string', minLength: 1 }, equals: { type: 'string' }, absent: { const: true } },
          },
        },
      },
      sameAs: { type: 'string' },
      sameAsFile: { type: 'string' },
      ignore: {
        type: 'array',
        items: { type: 'string' },
        description:
          'property names left out of sameAs, besides the server changes RFC 5545 allows (src/ical/rules.ts)',
      },
    },
  },
  example: { component: 'VEVENT', count: 1 },
  run(args, ctx) {
    const text = calendarText(args, ctx);
    if (typeof text !== 'string') return text;
    let root: ICAL.Component;
    try {
      root = parseICal(text);
    } catch (error) {
      return outcome(false, 'iCalendar parses', ['valid iCalendar (RFC 5545)'], (error as Error).message);
    }
    if (args.component !== undefined && args.count !== undefined) {
      const n = componentsNamed(root, args.component).length;
      if (n !== args.count)
        return outcome(false, `${args.count} ${args.component} component(s)`, [String(args.count)], String(n));
    } else if (args.component !== undefined && componentsNamed(root, args.component).length === 0) {
      return outcome(false, `a ${args.component} component`, [args.component], componentList(root));
    }
    if (args.property) {
      const result = checkProperty(root, args.property, args.component);
      if (result) return result;
    }
    let notes: string[] = [];
    if (args.sameAs !== undefined) {
      let verdict: Verdict;
      try {
        verdict = compareICal(args.sameAs, text, args.ignore);
      } catch (error) {
        return outcome(false, 'iCalendar matches the stored object', [args.sameAs], (error as Error).message);
      }
      // Legal changes (defaults, server-managed properties, extensions the server added) never fail
      // the check but are reported, next to a failure too.
      notes = verdict.notes;
      if (verdict.diffs.length)
        return withNotes(
          outcome(
            false,
            'iCalendar keeps the stored semantics',
            [args.sameAs],
            `${verdict.diffs.join('; ')}\n---\n${text}`,
          ),
          notes,
        );
    }
    return withNotes(outcome(true, 'iCalendar as expected', ['valid iCalendar'], componentList(root)), notes);
  },
};

function withNotes(result: CheckOutcome, notes: string[]): CheckOutcome {
  return notes.length ? { ...result, notes } : result;
}

function calendarText(args: IcalArgs, ctx: CheckContext): string | CheckOutcome {
  if ((args.source ?? (args.href ? 'calendar-data' : 'body')) === 'body') return ctx.view.body;
  const ms = ctx.view.multistatus();
  if (!ms.ok) return outcome(false, 'calendar-data in a multistatus', ['<{DAV:}multistatus>'], ms.error);
  const response = pickResponse(ms.value, ctx, args.href);
  const found = response && findProp(response, CALDATA);
  if (!found)
    return outcome(
      false,
      `calendar-data for ${args.href ?? 'the response'}`,
      [`${CALDATA} property`],
      response ? 'no calendar-data property' : 'no such response',
    );
  if (found.status !== 200) return outcome(false, 'calendar-data with status 200', ['200'], String(found.status));
  return deepText(found.prop);
}

function checkProperty(
  root: ICAL.Component,
  spec: NonNullable<IcalArgs['property']>,
  component?: string,
): CheckOutcome | undefined {
  const holders = spec.in ?? component;
  const comps = holders
    ? componentsNamed(root, holders)
    : ['VEVENT', 'VTODO', 'VJOURNAL'].flatMap((c) => componentsNamed(root, c));
  const props = comps.flatMap((c) => c.getAllProperties(spec.name.toLowerCase()));
  const values = props.map(propertyText);
  const shown = values.length ? values.join(' | ') : '(absent)';
  const what = `${spec.name.toUpperCase()}${holders ? ` in ${holders}` : ''}`;
  if (spec.absent) return values.length ? outcome(false, `${what} absent`, ['(absent)'], shown) : undefined;
  if (spec.count !== undefined && values.length !== spec.count)
    return outcome(false, `${spec.count} ${what} properties`, [String(spec.count)], `${values.length}: ${shown}`);
  if (spec.param) {
    const name = spec.param.name.toLowerCase();
    const params = props
      .map((p) => p.getParameter(name))
      .map((v) => (v === undefined || v === null ? undefined : String(v)));
    const shownParams = params.map((v) => v ?? '(none)').join(' | ') || '(no such property)';
    if (spec.param.absent) {
      if (params.some((v) => v !== undefined))
        return outcome(false, `${what} without ${spec.param.name}`, ['(no parameter)'], shownParams);
    } else if (
      spec.param.equals !== undefined ? !params.includes(spec.param.equals) : !params.some((v) => v !== undefined)
    ) {
      return outcome(
        false,
        `${what} with ${spec.param.name}${spec.param.equals ? `=${spec.param.equals}` : ''}`,
        [spec.param.equals ?? '(present)'],
        shownParams,
      );
    }
  }
  if (!values.length) return outcome(false, `${what} present`, [spec.equals ?? spec.matches ?? '(present)'], shown);
  if (spec.equals !== undefined && !values.includes(spec.equals))
    return outcome(false, `${what} equals`, [spec.equals], shown);
  if (spec.matches !== undefined && !values.some((v) => new RegExp(spec.matches!).test(v))) {
    return outcome(false, `${what} matches`, [`/${spec.matches}/`], shown);
  }
  return undefined;
}

function componentList(root: ICAL.Component): string {
  const names: string[] = [];
  const visit = (c: ICAL.Component) => {
    names.push(c.name.toUpperCase());
    c.getAllSubcomponents().forEach(visit);
  };
  visit(root);
  return names.join(', ');
}
