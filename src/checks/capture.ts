// Captures extract a value from a response into a variable for later steps.
//   capture: { etag1: { header: ETag }, token: { syncToken: true },
//              href1: { xml: "d:multistatus/d:response/d:href" }, ctag: { prop: cs:getctag },
//              uid: { ical: UID } }
import type { JsonSchema } from './types.js';
import type { ResponseView } from './response-view.js';
import { deepText, expandName, selectValues } from '../xml/element.js';
import { findProp } from '../xml/multistatus.js';
import { firstPropertyText } from '../ical/parse.js';
import { sameHref } from '../xml/href.js';

export interface CaptureKind {
  name: string;
  schema: JsonSchema;
  /** Returns the value, or throws with a one-line reason. */
  extract(args: unknown, view: ResponseView, baseUrl: string): string;
}

const header: CaptureKind = {
  name: 'header',
  schema: { type: 'string', minLength: 1 },
  extract(args, view) {
    const value = view.header(String(args));
    if (value === undefined) throw new Error(`response has no ${String(args)} header`);
    return value;
  },
};

const xml: CaptureKind = {
  name: 'xml',
  schema: { type: 'string', minLength: 1 },
  extract(args, view) {
    const doc = view.xml();
    if (!doc.ok) throw new Error(`body is not XML: ${doc.error}`);
    const value = selectValues(doc.value, String(args), (n) => deepText(n).trim())[0];
    if (value === undefined) throw new Error(`nothing at ${String(args)}`);
    return value;
  },
};

const prop: CaptureKind = {
  name: 'prop',
  schema: {
    oneOf: [
      { type: 'string', minLength: 1 },
      {
        type: 'object',
        required: ['prop'],
        additionalProperties: false,
        properties: { prop: { type: 'string' }, href: { type: 'string' } },
      },
    ],
  },
  extract(args, view, baseUrl) {
    const spec = typeof args === 'string' ? { prop: args } : (args as { prop: string; href?: string });
    const ms = view.multistatus();
    if (!ms.ok) throw new Error(`body is not a multistatus: ${ms.error}`);
    const responses = spec.href
      ? ms.value.responses.filter((r) => sameHref(r.href, spec.href!, baseUrl))
      : ms.value.responses;
    for (const response of responses) {
      const found = findProp(response, expandName(spec.prop));
      if (found && found.status === 200) return deepText(found.prop).trim();
    }
    throw new Error(`no 200 propstat for ${expandName(spec.prop)}${spec.href ? ` at ${spec.href}` : ''}`);
  },
};

const syncToken: CaptureKind = {
  name: 'syncToken',
  schema: { const: true },
  extract(_args, view) {
    const ms = view.multistatus();
    if (!ms.ok) throw new Error(`body is not a multistatus: ${ms.error}`);
    if (ms.value.syncToken === undefined) throw new Error('multistatus has no DAV:sync-token');
    return ms.value.syncToken;
  },
};

const ical: CaptureKind = {
  name: 'ical',
  schema: {
    oneOf: [
      { type: 'string', minLength: 1 },
      {
        type: 'object',
        required: ['property'],
        additionalProperties: false,
        properties: { property: { type: 'string' }, component: { type: 'string' } },
      },
    ],
  },
  extract(args, view) {
    const spec = typeof args === 'string' ? { property: args } : (args as { property: string; component?: string });
    const cal = view.ical();
    if (!cal.ok) throw new Error(cal.error);
    for (const comp of spec.component ? [spec.component] : ['VEVENT', 'VTODO', 'VJOURNAL', 'VCALENDAR']) {
      const value = firstPropertyText(cal.value, comp, spec.property);
      if (value !== undefined) return value;
    }
    throw new Error(`no ${spec.property} property in the iCalendar body`);
  },
};

export const CAPTURES: ReadonlyMap<string, CaptureKind> = new Map(
  [header, xml, prop, syncToken, ical].map((c) => [c.name, c]),
);
