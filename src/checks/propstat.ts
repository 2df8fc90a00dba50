// `propstat`: a property in a multistatus response, with the status of the propstat that holds it.
//   - propstat: { prop: d:getetag, status: 200, nonEmpty: true }
//   - propstat: { href: "${cal}", prop: d:resourcetype, contains: c:calendar }
//   - propstat: { prop: "{DAV:}displayname", equals: "Work" }
import type { CheckKind } from './types.js';
import { outcome } from './types.js';
import { brief } from './response-view.js';
import { pickResponse, listHrefs } from './select.js';
import { deepText, expandName, type XmlElement } from '../xml/element.js';
import { findProp } from '../xml/multistatus.js';

export interface PropstatArgs {
  prop: string;
  href?: string;
  /** An exact code, or a class such as '2xx' (RFC 4918 §9.2.1 lists only the most common codes). */
  status?: number | StatusClass;
  equals?: string;
  /** The value must differ from this (e.g. a ctag captured before a change). */
  notEquals?: string;
  matches?: string;
  contains?: string;
  nonEmpty?: boolean;
  /** The property must not be reported with any 2xx status. */
  absent?: boolean;
}

export const propstatCheck: CheckKind<PropstatArgs> = {
  name: 'propstat',
  summary:
    'a property is reported with a given propstat status, ' +
    'value (equals/notEquals/matches), child element, or not at all',
  schema: {
    type: 'object',
    required: ['prop'],
    additionalProperties: false,
    properties: {
      prop: { type: 'string', minLength: 1 },
      href: { type: 'string' },
      status: {
        oneOf: [
          { type: 'integer', minimum: 100, maximum: 599 },
          { type: 'string', pattern: '^[1-5]xx$' },
        ],
      },
      equals: { type: 'string' },
      notEquals: { type: 'string' },
      matches: { type: 'string', format: 'regex' },
      contains: { type: 'string', minLength: 1 },
      nonEmpty: { const: true },
      absent: { const: true },
    },
  },
  example: { prop: '{DAV:}getetag', status: 200, nonEmpty: true },
  run(args, ctx) {
    const name = expandName(args.prop);
    const parsed = ctx.view.multistatus();
    if (!parsed.ok) return outcome(false, `property ${name}`, ['<{DAV:}multistatus>'], parsed.error);
    const response = pickResponse(parsed.value, ctx, args.href);
    if (!response)
      return outcome(false, `response for ${args.href}`, [args.href ?? 'a response'], listHrefs(parsed.value));
    const found = findProp(response, name);
    if (args.absent) {
      const ok = !found || found.status === null || found.status >= 300;
      return outcome(
        ok,
        `${name} not reported as found`,
        ['absent or non-2xx propstat'],
        found ? `status ${found.status}` : '(absent)',
      );
    }
    const wantStatus = args.status ?? 200;
    if (!found)
      return outcome(
        false,
        `${name} reported`,
        [`${name} with status ${wantStatus}`],
        `not in any propstat of ${response.href}`,
      );
    if (!statusMatches(found.status, wantStatus)) {
      return outcome(
        false,
        `${name} has propstat status ${wantStatus}`,
        [String(wantStatus)],
        String(found.status ?? 'unparsable status'),
      );
    }
    const text = deepText(found.prop).trim();
    const childNames = found.prop.children.map((c) => c.name);
    const shown = childNames.length ? `<${childNames.join('>, <')}>` : brief(text);
    if (args.equals !== undefined && text !== args.equals)
      return outcome(false, `${name} equals`, [args.equals], shown);
    if (args.notEquals !== undefined && text === args.notEquals)
      return outcome(false, `${name} changed`, [`anything but ${args.notEquals}`], shown);
    if (args.matches !== undefined && !new RegExp(args.matches).test(text)) {
      return outcome(false, `${name} matches /${args.matches}/`, [`/${args.matches}/`], shown);
    }
    if (args.contains !== undefined) {
      const child = expandName(args.contains);
      if (!hasDescendant(found.prop, child))
        return outcome(false, `${name} contains <${child}>`, [`<${child}>`], shown);
    }
    if (args.nonEmpty && text === '' && childNames.length === 0)
      return outcome(false, `${name} is not empty`, ['a non-empty value'], '(empty)');
    return outcome(true, `${name} as expected`, [describe(args, wantStatus)], shown);
  },
};

function hasDescendant(el: XmlElement, name: string): boolean {
  return el.children.some((c) => c.name === name || hasDescendant(c, name));
}

type StatusClass = `${1 | 2 | 3 | 4 | 5}xx`;

function statusMatches(got: number | null, want: number | StatusClass): boolean {
  if (got === null) return false;
  return typeof want === 'number' ? got === want : Math.floor(got / 100) === Number(want[0]);
}

function describe(args: PropstatArgs, status: number | StatusClass): string {
  const parts = [`status ${status}`];
  if (args.equals !== undefined) parts.push(`= ${args.equals}`);
  if (args.matches !== undefined) parts.push(`~ /${args.matches}/`);
  if (args.contains !== undefined) parts.push(`contains ${args.contains}`);
  return parts.join(', ');
}
