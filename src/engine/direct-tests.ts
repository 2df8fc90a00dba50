// Which scenario tests a setup operation on its own. A blocked scenario names it, so a reader goes
// from "300 blocked" to the one failing scenario that explains them, instead of 300 false failures.
// test/unit/direct-tests.test.ts checks that every key below exists and really sends that method
// in its own steps (not in its setup, which would make the pointer circular).
import type { RecordedRequest } from '../model/exchange.js';

/** The scenario calendar answered 2xx to MKCALENDAR but PROPFIND does not show a calendar. */
export const CALENDAR_IS_CALENDAR = 'rfc4791/5.3.1/mkcal-created';

interface Operation {
  method: string;
  body: string;
  /** The URL ends with `/` (a collection). */
  collection: boolean;
  /** An earlier step of the same scenario already created this URL with PUT. */
  replaces: boolean;
}

interface Rule {
  method: string;
  when?: (op: Operation) => boolean;
  key: string;
}

/** The first component of an iCalendar body that is not VCALENDAR or VTIMEZONE. */
function component(body: string): string | undefined {
  return /^BEGIN:(VEVENT|VTODO|VJOURNAL|VFREEBUSY)\r?$/m.exec(body)?.[1];
}

const has = (text: string) => (op: Operation) => op.body.includes(text);

/** First match wins, so the more specific rule of a method comes first. */
const RULES: readonly Rule[] = [
  // RFC 4791 §5.3.1 / §5.3.1.2: MKCALENDAR, bare or with properties to set.
  {
    method: 'MKCALENDAR',
    when: has('supported-calendar-component-set'),
    key: 'rfc4791/5.3.1/mkcal-sets-component-set',
  },
  {
    method: 'MKCALENDAR',
    when: (op) => op.body.includes('calendar-timezone') || op.body.includes('calendar-description'),
    key: 'rfc4791/5.3.1/mkcal-sets-description-timezone',
  },
  { method: 'MKCALENDAR', when: (op) => op.body.trim() !== '', key: 'rfc4791/5.3.1/mkcal-with-body-created' },
  { method: 'MKCALENDAR', key: CALENDAR_IS_CALENDAR },
  // RFC 4791 §5.3.2: PUT of a calendar object, by the component it carries; §4.1 for VFREEBUSY.
  {
    method: 'PUT',
    when: (op) => op.replaces && component(op.body) !== undefined,
    key: 'rfc4791/5.3.2/put-update-replaces',
  },
  { method: 'PUT', when: (op) => component(op.body) === 'VEVENT', key: 'rfc4791/5.3.2/put-event-created' },
  { method: 'PUT', when: (op) => component(op.body) === 'VTODO', key: 'rfc4791/5.3.2/put-todo-created' },
  { method: 'PUT', when: (op) => component(op.body) === 'VJOURNAL', key: 'rfc4791/5.3.2/put-journal-created' },
  { method: 'PUT', when: (op) => component(op.body) === 'VFREEBUSY', key: 'rfc4791/4.1/objrule-vfreebusy-object' },
  // RFC 5689 §3: extended MKCOL (a body); RFC 4918 §9.3: plain MKCOL.
  { method: 'MKCOL', when: (op) => /<(\w+:)?calendar\s*\/>/.test(op.body), key: 'rfc5689/3/xmkcol-creates-calendar' },
  { method: 'MKCOL', when: (op) => op.body.trim() !== '', key: 'rfc5689/3/xmkcol-plain-collection' },
  { method: 'MKCOL', key: 'rfc4918/9.3/dav-mkcol-creates-collection' },
  // RFC 4918 §9.2, §9.6, §9.8, §9.9, §9.10, §9.11; RFC 3744 §8.1.
  { method: 'PROPPATCH', when: (op) => !/<(\w+:)?set[\s>]/.test(op.body), key: 'rfc4918/9.2/dav-proppatch-remove' },
  { method: 'PROPPATCH', key: 'rfc4918/9.2/dav-proppatch-set-displayname' },
  { method: 'DELETE', when: (op) => op.collection, key: 'rfc4918/9.6/dav-delete-collection-depth-infinity' },
  { method: 'DELETE', key: 'rfc4918/9.6/dav-delete-object' },
  { method: 'COPY', key: 'rfc4918/9.8/dav-copy-object-other-calendar' },
  { method: 'MOVE', when: (op) => op.collection, key: 'rfc4918/9.9/dav-move-collection' },
  { method: 'MOVE', key: 'rfc4918/9.9/dav-move-rename-object' },
  { method: 'LOCK', key: 'rfc4918/9.10/dav-lock-exclusive-granted' },
  { method: 'UNLOCK', key: 'rfc4918/9.11/dav-unlock-releases' },
  { method: 'ACL', key: 'rfc3744/8.1/acl-grant-read-shares' },
];

/** Every scenario key this module can name, with the method its steps must send (for the test). */
export const DIRECT_TESTS: ReadonlyArray<{ method: string; key: string }> = [
  ...new Map(RULES.map((r) => [r.key, { method: r.method, key: r.key }])).values(),
];

/**
 * The scenario that tests this request's operation directly, or undefined when none does (reads
 * such as PROPFIND or REPORT in a setup, a PUT of something that is not iCalendar).
 */
export function directTest(request: RecordedRequest, replaces = false): string | undefined {
  const op: Operation = {
    method: request.method.toUpperCase(),
    body: request.body ?? '',
    collection: new URL(request.url, 'http://x/').pathname.endsWith('/'),
    replaces,
  };
  return RULES.find((r) => r.method === op.method && (!r.when || r.when(op)))?.key;
}
