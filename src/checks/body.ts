// `body`: the raw response body, byte for byte (what the structured checks cannot see).
//   - body: { maxLineOctets: 75 }         (RFC 5545 §3.1 folding, CRLF excluded)
//   - body: { matches: "^BEGIN:VCALENDAR\r\n" }    - body: { notMatches: "<\?xml" }   - body: { empty: true }
import type { CheckKind } from './types.js';
import { outcome } from './types.js';
import { brief } from './response-view.js';

export interface BodyArgs {
  matches?: string;
  notMatches?: string;
  contains?: string;
  empty?: boolean;
  maxLineOctets?: number;
}

export const bodyCheck: CheckKind<BodyArgs> = {
  name: 'body',
  summary:
    'the raw body matches / does not match a regex, contains text, is empty, or has no line longer than N octets',
  schema: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      matches: { type: 'string', format: 'regex' },
      notMatches: { type: 'string', format: 'regex' },
      contains: { type: 'string' },
      empty: { type: 'boolean' },
      maxLineOctets: { type: 'integer', minimum: 1 },
    },
  },
  example: { maxLineOctets: 75 },
  run(args, { view }) {
    const body = view.body;
    if (args.empty !== undefined && (body.length === 0) !== args.empty) {
      return outcome(
        false,
        `body is ${args.empty ? '' : 'not '}empty`,
        [args.empty ? '(empty)' : 'a body'],
        brief(body),
      );
    }
    if (args.matches !== undefined && !new RegExp(args.matches).test(body))
      return outcome(false, `body matches /${args.matches}/`, [`/${args.matches}/`], brief(body));
    if (args.notMatches !== undefined && new RegExp(args.notMatches).test(body))
      return outcome(
        false,
        `body does not match /${args.notMatches}/`,
        [`no match for /${args.notMatches}/`],
        brief(body),
      );
    if (args.contains !== undefined && !body.includes(args.contains))
      return outcome(false, 'body contains text', [args.contains], brief(body));
    if (args.maxLineOctets !== undefined) {
      const lines = body.split(/\r\n/);
      const i = lines.findIndex((l) => Buffer.byteLength(l, 'utf8') > args.maxLineOctets!);
      if (i >= 0)
        return outcome(
          false,
          `no line longer than ${args.maxLineOctets} octets`,
          [`<= ${args.maxLineOctets} octets per line`],
          `line ${i + 1} has ${Buffer.byteLength(lines[i]!, 'utf8')} octets: ${brief(lines[i]!, 80)}`,
        );
    }
    return outcome(true, 'body as expected', ['as specified'], brief(body, 80));
  },
};
