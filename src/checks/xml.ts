// `xml`: a path into the response body's XML exists / does not / has a text / occurs N times.
//   - xml: { path: "d:multistatus/d:response/d:href", count: 2 }
//   - xml: { path: "{DAV:}error/**/{DAV:}href", text: "${cal}a.ics" }
//   - xml: { path: "**/c:calendar-description/@xml:lang", text: en }   (a last `@name` selects an attribute)
import type { CheckKind } from './types.js';
import { outcome } from './types.js';
import { brief } from './response-view.js';
import { deepText, selectValues } from '../xml/element.js';

export interface XmlArgs {
  path: string;
  exists?: boolean;
  text?: string;
  matches?: string;
  count?: number;
}

export const xmlCheck: CheckKind<XmlArgs> = {
  name: 'xml',
  summary:
    'an XML path (Clark names or d:/c:/cs: prefixes, * and **, ' +
    'last @attr) exists, is absent, has a text, or occurs N times',
  schema: {
    type: 'object',
    required: ['path'],
    additionalProperties: false,
    properties: {
      path: { type: 'string', minLength: 1 },
      exists: { type: 'boolean' },
      text: { type: 'string' },
      matches: { type: 'string', format: 'regex' },
      count: { type: 'integer', minimum: 0 },
    },
  },
  example: { path: '{DAV:}multistatus/{DAV:}response', count: 1 },
  run(args, { view }) {
    const xml = view.xml();
    if (!xml.ok) return outcome(false, `XML path ${args.path}`, ['an XML body'], xml.error);
    const texts = selectValues(xml.value, args.path, (n) => deepText(n).trim());
    const nodes = texts;
    const shown = nodes.length ? `${nodes.length} match(es): ${brief(texts.join(' | '))}` : 'no match';
    if (args.exists === false) return outcome(nodes.length === 0, `${args.path} absent`, ['no match'], shown);
    if (args.count !== undefined)
      return outcome(
        nodes.length === args.count,
        `${args.path} occurs ${args.count} times`,
        [String(args.count)],
        shown,
      );
    if (nodes.length === 0) return outcome(false, `${args.path} exists`, ['at least one match'], shown);
    if (args.text !== undefined) return outcome(texts.includes(args.text), `${args.path} has text`, [args.text], shown);
    if (args.matches !== undefined) {
      const re = new RegExp(args.matches);
      return outcome(
        texts.some((t) => re.test(t)),
        `${args.path} matches /${args.matches}/`,
        [`/${args.matches}/`],
        shown,
      );
    }
    return outcome(true, `${args.path} exists`, ['at least one match'], shown);
  },
};
