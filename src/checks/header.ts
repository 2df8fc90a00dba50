// `header`: a response header is present / absent / equal / matching / contains a token.
//   - header: { name: ETag, present: true }
//   - header: { name: DAV, contains: calendar-access }    (comma-separated token list)
import type { CheckKind } from './types.js';
import { outcome } from './types.js';

export interface HeaderArgs {
  name: string;
  present?: boolean;
  absent?: boolean;
  equals?: string;
  matches?: string;
  contains?: string;
}

export const headerCheck: CheckKind<HeaderArgs> = {
  name: 'header',
  summary: 'a response header is present, absent, equal to a value, matches a regex, or lists a token',
  schema: {
    type: 'object',
    required: ['name'],
    additionalProperties: false,
    minProperties: 2,
    properties: {
      name: { type: 'string', minLength: 1 },
      present: { const: true },
      absent: { const: true },
      equals: { type: 'string' },
      matches: { type: 'string', format: 'regex' },
      contains: { type: 'string', minLength: 1 },
    },
  },
  example: { name: 'DAV', contains: 'calendar-access' },
  run(args, { view }) {
    const value = view.header(args.name);
    const shown = value === undefined ? '(absent)' : value;
    if (args.absent) return outcome(value === undefined, `header ${args.name} is absent`, ['(absent)'], shown);
    if (value === undefined) {
      return outcome(false, `header ${args.name} is present`, [describeWanted(args)], shown);
    }
    if (args.equals !== undefined)
      return outcome(value === args.equals, `header ${args.name} equals`, [args.equals], shown);
    if (args.matches !== undefined) {
      return outcome(
        new RegExp(args.matches).test(value),
        `header ${args.name} matches /${args.matches}/`,
        [`/${args.matches}/`],
        shown,
      );
    }
    if (args.contains !== undefined) {
      const tokens = value.split(',').map((t) => t.trim().toLowerCase());
      const ok = tokens.includes(args.contains.toLowerCase());
      return outcome(ok, `header ${args.name} lists ${args.contains}`, [`a list containing ${args.contains}`], shown);
    }
    return outcome(true, `header ${args.name} is present`, ['(present)'], shown);
  },
};

function describeWanted(args: HeaderArgs): string {
  if (args.equals !== undefined) return args.equals;
  if (args.matches !== undefined) return `/${args.matches}/`;
  if (args.contains !== undefined) return `a list containing ${args.contains}`;
  return '(present)';
}
