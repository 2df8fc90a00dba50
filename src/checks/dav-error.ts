// `dav-error`: the body is a DAV:error naming a precondition/postcondition element (RFC 4918 §16).
//   - dav-error: "{urn:ietf:params:xml:ns:caldav}valid-calendar-data"
//   - dav-error: { element: c:no-uid-conflict, href: "${cal}a.ics" }
import type { CheckKind } from './types.js';
import { outcome } from './types.js';
import { brief } from './response-view.js';
import { deepText, expandName } from '../xml/element.js';
import { sameHref } from '../xml/href.js';

export type DavErrorArgs = string | { element: string; href?: string };

export const davErrorCheck: CheckKind<DavErrorArgs> = {
  name: 'dav-error',
  summary: 'response body is a {DAV:}error containing the given condition element (optionally with an href inside)',
  schema: {
    oneOf: [
      { type: 'string', minLength: 1 },
      {
        type: 'object',
        required: ['element'],
        additionalProperties: false,
        properties: { element: { type: 'string', minLength: 1 }, href: { type: 'string' } },
      },
    ],
  },
  example: '{urn:ietf:params:xml:ns:caldav}valid-calendar-data',
  run(args, { view, baseUrl }) {
    const element = expandName(typeof args === 'string' ? args : args.element);
    const href = typeof args === 'string' ? undefined : args.href;
    const expected = [`<{DAV:}error> containing <${element}>${href ? ` with href ${href}` : ''}`];
    const xml = view.xml();
    if (!xml.ok)
      return outcome(
        false,
        `DAV:error with ${element}`,
        expected,
        `body is not XML (${xml.error}): ${brief(view.body, 80)}`,
      );
    if (xml.value.name !== '{DAV:}error')
      return outcome(false, `DAV:error with ${element}`, expected, `root element ${xml.value.name}`);
    const condition = xml.value.children.find((c) => c.name === element);
    const present = xml.value.children.map((c) => c.name).join(', ') || '(empty DAV:error)';
    if (!condition) return outcome(false, `DAV:error with ${element}`, expected, `DAV:error containing ${present}`);
    if (href !== undefined) {
      const hrefs = condition.children.filter((c) => c.name === '{DAV:}href').map((c) => deepText(c).trim());
      if (!hrefs.some((h) => sameHref(h, href, baseUrl))) {
        return outcome(false, `${element} names ${href}`, expected, `hrefs: ${hrefs.join(', ') || '(none)'}`);
      }
    }
    return outcome(true, `DAV:error with ${element}`, expected, `DAV:error containing ${present}`);
  },
};
