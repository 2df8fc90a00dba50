// Every check kind passes on a conforming exchange and FAILS on a violating one. The last test
// makes sure no kind is added to the registry without such a pair.
import assert from 'node:assert/strict';
import { CHECKS, contextFor, evaluateCheck } from '../../src/checks/run.js';
import { EVENT, exchange, multistatus, response } from '../helpers/exchange.js';
import type { Exchange } from '../../src/model/exchange.js';

interface Case {
  kind: string;
  args: unknown;
  good: Exchange;
  bad: Exchange;
  /** Substring expected in the failure's actual or description. */
  mentions: string;
}

const ms = multistatus(
  response('/cal/a.ics', '<D:getetag>"1"</D:getetag>') +
    response('/cal/', '<D:resourcetype><D:collection/><C:calendar/></D:resourcetype><CS:getctag>007</CS:getctag>') +
    `<D:response><D:href>/cal/gone.ics</D:href><D:status>HTTP/1.1 404 Not Found</D:status></D:response>`,
);
const merged = multistatus(response('/cal/a.ics', '<D:getetag>"1"</D:getetag><D:displayname/>'));
const split = multistatus(
  response('/cal/a.ics', '<D:getetag>"1"</D:getetag>').replace(
    '</D:response>',
    '<D:propstat><D:prop><D:displayname/></D:prop>' +
      '<D:status>HTTP/1.1 404 Not Found</D:status></D:propstat></D:response>',
  ),
);
const davError = (el: string) =>
  `<?xml version="1.0"?><D:error xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">${el}</D:error>`;
const calData = (ics: string) =>
  multistatus(
    response(
      '/cal/a.ics',
      `<D:getetag>"1"</D:getetag>` +
        `<C:calendar-data>${ics.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</C:calendar-data>`,
    ),
  );

const CASES: Case[] = [
  { kind: 'status', args: [201, 204], good: exchange(201), bad: exchange(200), mentions: '200' },
  { kind: 'status', args: '2xx', good: exchange(207), bad: exchange(500), mentions: '500' },
  {
    kind: 'header',
    args: { name: 'DAV', contains: 'calendar-access' },
    good: exchange(200, '', { DAV: '1, 2, calendar-access' }),
    bad: exchange(200, '', { DAV: '1, 2, calendar-accessx' }),
    mentions: 'calendar-accessx',
  },
  {
    kind: 'header',
    args: { name: 'Location', absent: true },
    good: exchange(201),
    bad: exchange(201, '', { Location: '/x' }),
    mentions: '/x',
  },
  {
    kind: 'header',
    args: { name: 'Content-Type', matches: '^text/calendar' },
    good: exchange(200, '', { 'content-type': 'text/calendar; charset=utf-8' }),
    bad: exchange(200, '', { 'content-type': 'text/plain' }),
    mentions: 'text/plain',
  },
  {
    kind: 'etag',
    args: { present: true, strong: true },
    good: exchange(201, '', { ETag: '"abc"' }),
    bad: exchange(201, '', { ETag: 'W/"abc"' }),
    mentions: 'W/',
  },
  {
    kind: 'etag',
    args: { changedFrom: '"1"' },
    good: exchange(204, '', { ETag: '"2"' }),
    bad: exchange(204, '', { ETag: '"1"' }),
    mentions: '"1"',
  },
  {
    kind: 'etag',
    args: { present: true },
    good: exchange(200, '', { ETag: '"x"' }),
    bad: exchange(200, '', { ETag: 'unquoted' }),
    mentions: 'unquoted',
  },
  {
    kind: 'dav-error',
    args: 'c:valid-calendar-data',
    good: exchange(403, davError('<C:valid-calendar-data/>')),
    bad: exchange(403, davError('<C:supported-calendar-data/>')),
    mentions: 'supported-calendar-data',
  },
  {
    kind: 'dav-error',
    args: { element: 'c:no-uid-conflict', href: '/cal/a.ics' },
    good: exchange(409, davError('<C:no-uid-conflict><D:href>/cal/a.ics</D:href></C:no-uid-conflict>')),
    bad: exchange(409, davError('<C:no-uid-conflict><D:href>/cal/b.ics</D:href></C:no-uid-conflict>')),
    mentions: '/cal/b.ics',
  },
  {
    kind: 'dav-error',
    args: 'c:valid-calendar-data',
    good: exchange(403, davError('<C:valid-calendar-data/>')),
    bad: exchange(500, 'Internal error'),
    mentions: 'not XML',
  },
  {
    kind: 'multistatus',
    args: { hrefs: ['/cal/a.ics'], withStatus: { '/cal/gone.ics': 404 } },
    good: exchange(207, ms),
    bad: exchange(207, multistatus(response('/cal/a.ics', '<D:getetag>"1"</D:getetag>'))),
    mentions: 'absent',
  },
  {
    kind: 'multistatus',
    args: { hrefs: ['http://dav.test/cal/a%2Eics'], count: 3 },
    good: exchange(207, ms),
    bad: exchange(207, ms.replace('/cal/a.ics', '/cal/z.ics')),
    mentions: '/cal/z.ics',
  },
  {
    kind: 'multistatus',
    args: { maxCount: 3 },
    good: exchange(207, ms),
    bad: exchange(
      207,
      ms.replace('</D:multistatus>', `${response('/cal/x.ics', '<D:getetag>"9"</D:getetag>')}</D:multistatus>`),
    ),
    mentions: '4:',
  },
  {
    kind: 'multistatus',
    args: { absent: ['/cal/b.ics'] },
    good: exchange(207, ms),
    bad: exchange(207, ms.replace('/cal/a.ics', '/cal/b.ics')),
    mentions: '/cal/b.ics',
  },
  {
    kind: 'multistatus',
    args: { syncToken: true },
    good: exchange(207, ms.replace('</D:multistatus>', '<D:sync-token>http://x/1</D:sync-token></D:multistatus>')),
    bad: exchange(207, ms),
    mentions: 'none',
  },
  {
    kind: 'propstat',
    args: { href: '/cal/a.ics', prop: 'd:displayname', status: 404 },
    good: exchange(207, split),
    bad: exchange(207, merged),
    mentions: '200',
  },
  {
    // A status class: a removed property may be answered 200 or 204 (RFC 4918 §9.2.1), never 404.
    kind: 'propstat',
    args: { href: '/cal/a.ics', prop: 'd:displayname', status: '4xx' },
    good: exchange(207, split),
    bad: exchange(207, merged),
    mentions: '200',
  },
  {
    kind: 'propstat',
    args: { href: '/cal/', prop: 'd:resourcetype', contains: 'c:calendar' },
    good: exchange(207, ms),
    bad: exchange(207, ms.replace('<C:calendar/>', '')),
    mentions: 'collection',
  },
  {
    kind: 'propstat',
    args: { href: '/cal/', prop: 'cs:getctag', equals: '007' },
    good: exchange(207, ms),
    bad: exchange(207, ms.replace('007', '7')),
    mentions: '7',
  },
  {
    kind: 'xml',
    args: { path: 'd:multistatus/d:response/d:href', count: 3 },
    good: exchange(207, ms),
    bad: exchange(207, merged),
    mentions: '1 match',
  },
  {
    kind: 'xml',
    args: { path: '**/c:calendar-data', exists: false },
    good: exchange(207, ms),
    bad: exchange(207, calData(EVENT)),
    mentions: 'match',
  },
  {
    kind: 'ical',
    args: { component: 'VEVENT', count: 1 },
    good: exchange(200, EVENT),
    bad: exchange(200, EVENT.replace('BEGIN:VEVENT', 'BEGIN:VTODO').replace('END:VEVENT', 'END:VTODO')),
    mentions: '0',
  },
  {
    kind: 'ical',
    args: { property: { name: 'SUMMARY', equals: 'Lunch' } },
    good: exchange(200, EVENT),
    bad: exchange(200, EVENT.replace('Lunch', 'lunch')),
    mentions: 'lunch',
  },
  {
    kind: 'ical',
    args: { sameAs: EVENT },
    good: exchange(200, EVENT.replace('PRODID:-//test//EN', 'PRODID:-//server//EN')),
    bad: exchange(200, EVENT.replace('DTEND:20260105T110000Z', 'DTEND:20260105T120000Z')),
    mentions: 'DTEND',
  },
  {
    kind: 'propstat',
    args: { href: '/cal/', prop: 'cs:getctag', notEquals: '006' },
    good: exchange(207, ms),
    bad: exchange(207, ms.replace('007', '006')),
    mentions: '006',
  },
  {
    kind: 'xml',
    args: { path: '**/d:displayname/@xml:lang', text: 'en' },
    good: exchange(207, ms.replace('<CS:getctag>', '<D:displayname xml:lang="en">x</D:displayname><CS:getctag>')),
    bad: exchange(207, ms.replace('<CS:getctag>', '<D:displayname xml:lang="de">x</D:displayname><CS:getctag>')),
    mentions: 'de',
  },
  {
    kind: 'body',
    args: { maxLineOctets: 75 },
    good: exchange(200, EVENT),
    bad: exchange(200, EVENT.replace('SUMMARY:Lunch', `SUMMARY:${'é'.repeat(40)}`)),
    mentions: '88 octets',
  },
  {
    kind: 'body',
    args: { notMatches: '<\\?xml' },
    good: exchange(200, EVENT),
    bad: exchange(200, ms),
    mentions: 'does not match',
  },
  {
    kind: 'ical',
    args: { sameAs: EVENT.replace('SUMMARY', 'RRULE:FREQ=YEARLY;BYMONTH=1;BYDAY=MO\r\nSUMMARY') },
    good: exchange(200, EVENT.replace('SUMMARY', 'RRULE:FREQ=YEARLY;BYDAY=MO;BYMONTH=1\r\nSUMMARY')),
    bad: exchange(200, EVENT.replace('SUMMARY', 'RRULE:FREQ=YEARLY;BYDAY=TU;BYMONTH=1\r\nSUMMARY')),
    mentions: 'RRULE',
  },
  {
    kind: 'any-of',
    args: [[{ status: 207 }], [{ status: [403, 409] }, { 'dav-error': 'c:valid-filter' }]],
    good: exchange(403, davError('<C:valid-filter/>')),
    bad: exchange(403, davError('<C:supported-filter/>')),
    mentions: 'supported-filter',
  },
  {
    kind: 'ical',
    args: { property: { name: 'ATTENDEE', param: { name: 'PARTSTAT', equals: 'ACCEPTED' } } },
    good: exchange(200, EVENT.replace('SUMMARY', 'ATTENDEE;PARTSTAT=ACCEPTED:mailto:a@x\r\nSUMMARY')),
    bad: exchange(200, EVENT.replace('SUMMARY', 'ATTENDEE;PARTSTAT=DECLINED:mailto:a@x\r\nSUMMARY')),
    mentions: 'DECLINED',
  },
  {
    kind: 'ical',
    args: { property: { name: 'SUMMARY', count: 1 } },
    good: exchange(200, EVENT),
    bad: exchange(200, EVENT.replace('SUMMARY:Lunch', 'SUMMARY:Lunch\r\nSUMMARY:Again')),
    mentions: 'Again',
  },
  {
    kind: 'ical',
    args: { href: '/cal/a.ics', component: 'VEVENT' },
    good: exchange(207, calData(EVENT)),
    bad: exchange(207, calData('BEGIN:VCALENDAR\r\nnot ical\r\n')),
    mentions: 'iCalendar',
  },
];

describe('check kinds', () => {
  for (const c of CASES) {
    const label = `${c.kind} ${JSON.stringify(c.args).slice(0, 60)}`;
    it(`${label}: passes on a conforming response`, () => {
      const result = evaluateCheck(c.kind, c.args, contextFor(c.good, 'http://dav.test/'));
      assert.equal(
        result.ok,
        true,
        `${result.description}: expected ${result.expected.join('|')} actual ${result.actual}`,
      );
    });
    it(`${label}: detects the violation`, () => {
      const result = evaluateCheck(c.kind, c.args, contextFor(c.bad, 'http://dav.test/'));
      assert.equal(result.ok, false);
      assert.ok(result.expected.length > 0, 'a failure says what was expected');
      assert.ok(
        `${result.actual} ${result.description}`.includes(c.mentions),
        `failure mentions '${c.mentions}': ${result.description} / ${result.actual}`,
      );
    });
  }

  it('a transport error fails every kind with the error as actual', () => {
    const broken: Exchange = {
      request: { method: 'GET', url: 'http://dav.test/', headers: {} },
      timings: { startedAt: 0, totalMs: 1 },
      error: 'connection reset by server',
    };
    for (const kind of CHECKS.keys()) {
      const result = evaluateCheck(kind, CHECKS.get(kind)!.example, contextFor(broken, 'http://dav.test/'));
      assert.equal(result.ok, false);
      assert.equal(result.actual, 'connection reset by server');
    }
  });

  it('every registered kind has a case proving it can fail', () => {
    const covered = new Set(CASES.map((c) => c.kind));
    for (const kind of CHECKS.keys()) assert.ok(covered.has(kind), `check kind '${kind}' has no violation test`);
  });

  it('a check that throws internally becomes a failed outcome, not a crash', () => {
    const result = evaluateCheck(
      'header',
      { name: 'X', matches: '(' },
      contextFor(exchange(200, '', { X: 'y' }), 'http://dav.test/'),
    );
    assert.equal(result.ok, false);
    assert.match(result.description, /raised an error/);
  });
});
