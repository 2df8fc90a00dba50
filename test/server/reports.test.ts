import assert from 'node:assert/strict';
import { findProp, type Multistatus } from '../../src/xml/index.js';
import type { RunningServer } from '../../src/server/index.js';
import { Client, NSDECL, vevent, withServer } from './helpers.js';

const DIR = '/calendars/test/rep/';
const CALDATA = '{urn:ietf:params:xml:ns:caldav}calendar-data';

// Mondays 10:00-11:00 UTC from 2026-01-05, ten times, without 2026-01-12.
const WEEKLY = vevent('weekly', [
  'DTSTART:20260105T100000Z',
  'DTEND:20260105T110000Z',
  'SUMMARY:Weekly Sync',
  'RRULE:FREQ=WEEKLY;COUNT=10',
  'EXDATE:20260112T100000Z',
]);
const SINGLE = vevent('single', ['DTSTART:20260301T090000Z', 'DTEND:20260301T100000Z', 'SUMMARY:Dentist']);

function query(filterInner: string, calData = '<c:calendar-data/>'): string {
  return `<c:calendar-query ${NSDECL}><d:prop><d:getetag/>${calData}</d:prop>
    <c:filter><c:comp-filter name="VCALENDAR">${filterInner}</c:comp-filter></c:filter></c:calendar-query>`;
}

const range = (start: string, end: string) =>
  `<c:comp-filter name="VEVENT"><c:time-range start="${start}" end="${end}"/></c:comp-filter>`;
// XML parsing normalises CRLF to LF (XML 1.0 §2.11), so calendar-data compares modulo line ends.
const lf = (s: string | undefined) => s?.replace(/\r\n/g, '\n');
const hrefs = (ms: Multistatus) => ms.responses.map((r) => r.href).sort();

describe('reference server: REPORTs', () => {
  let server: RunningServer;
  let client: Client;
  before(async () => {
    ({ server, client } = await withServer());
    assert.equal((await client.send('MKCALENDAR', DIR)).status, 201);
    assert.equal((await client.put(DIR + 'weekly.ics', WEEKLY)).status, 201);
    assert.equal((await client.put(DIR + 'single.ics', SINGLE)).status, 201);
  });
  after(() => server.stop());

  it('calendar-query time-range finds later instances of a weekly RRULE', async () => {
    const ms = await client.ms('REPORT', DIR, query(range('20260202T000000Z', '20260203T000000Z')), { depth: '1' });
    assert.deepEqual(hrefs(ms), [DIR + 'weekly.ics']);
    assert.equal(lf(findProp(ms.responses[0]!, CALDATA)?.prop.text), lf(WEEKLY));
  });

  it('calendar-query time-range honours EXDATE and the half-open end', async () => {
    const excluded = await client.ms('REPORT', DIR, query(range('20260112T000000Z', '20260113T000000Z')), {
      depth: '1',
    });
    assert.deepEqual(hrefs(excluded), []);
    // The instance on 2026-01-19 starts exactly at the range end: no overlap (RFC 4791 §9.9).
    const atEnd = await client.ms('REPORT', DIR, query(range('20260119T090000Z', '20260119T100000Z')), { depth: '1' });
    assert.deepEqual(hrefs(atEnd), []);
    const beyondCount = await client.ms('REPORT', DIR, query(range('20260401T000000Z', '20270101T000000Z')), {
      depth: '1',
    });
    assert.deepEqual(hrefs(beyondCount), []);
  });

  it('Depth: 0 on the calendar selects nothing; Depth: 1 everything matching', async () => {
    const zero = await client.ms('REPORT', DIR, query('<c:comp-filter name="VEVENT"/>'), { depth: '0' });
    assert.deepEqual(hrefs(zero), []);
    const one = await client.ms('REPORT', DIR, query('<c:comp-filter name="VEVENT"/>'), { depth: '1' });
    assert.deepEqual(hrefs(one), [DIR + 'single.ics', DIR + 'weekly.ics']);
  });

  it('expand returns UTC instances with RECURRENCE-ID and no RRULE', async () => {
    const cd = '<c:calendar-data><c:expand start="20260101T000000Z" end="20260127T000000Z"/></c:calendar-data>';
    const ms = await client.ms('REPORT', DIR, query(range('20260101T000000Z', '20260127T000000Z'), cd), { depth: '1' });
    const data = findProp(ms.responses[0]!, CALDATA)!.prop.text;
    assert.doesNotMatch(data, /RRULE|EXDATE/);
    assert.deepEqual(data.match(/RECURRENCE-ID:\d{8}T\d{6}Z/g), [
      'RECURRENCE-ID:20260105T100000Z',
      'RECURRENCE-ID:20260119T100000Z',
      'RECURRENCE-ID:20260126T100000Z',
    ]);
  });

  it('text-match: i;ascii-casemap by default, i;octet case-sensitive, negate-condition', async () => {
    const tm = (text: string, attrs = '') =>
      `<c:comp-filter name="VEVENT"><c:prop-filter name="SUMMARY">` +
      `<c:text-match${attrs}>${text}</c:text-match></c:prop-filter></c:comp-filter>`;
    assert.deepEqual(hrefs(await client.ms('REPORT', DIR, query(tm('weekly sync')), { depth: '1' })), [
      DIR + 'weekly.ics',
    ]);
    assert.deepEqual(
      hrefs(await client.ms('REPORT', DIR, query(tm('weekly sync', ' collation="i;octet"')), { depth: '1' })),
      [],
    );
    assert.deepEqual(
      hrefs(await client.ms('REPORT', DIR, query(tm('weekly', ' negate-condition="yes"')), { depth: '1' })),
      [DIR + 'single.ics'],
    );
  });

  it('unsupported collation and invalid filters are 403 with the CalDAV precondition', async () => {
    const bad = await client.send(
      'REPORT',
      DIR,
      query(
        '<c:comp-filter name="VEVENT"><c:prop-filter name="SUMMARY">' +
          '<c:text-match collation="i;klingon">x</c:text-match></c:prop-filter></c:comp-filter>',
      ),
      { depth: '1' },
    );
    assert.equal(bad.status, 403);
    assert.match(bad.body, /supported-collation/);
    const invalid = await client.send(
      'REPORT',
      DIR,
      query('<c:comp-filter name="VEVENT"><c:time-range start="yesterday"/></c:comp-filter>'),
      { depth: '1' },
    );
    assert.equal(invalid.status, 403);
    assert.match(invalid.body, /valid-filter/);
  });

  it('calendar-multiget answers a missing href with its own 404 response', async () => {
    const body = `<c:calendar-multiget ${NSDECL}><d:prop><d:getetag/><c:calendar-data/></d:prop>
      <d:href>${DIR}single.ics</d:href><d:href>${DIR}nope.ics</d:href></c:calendar-multiget>`;
    const ms = await client.ms('REPORT', DIR, body, { depth: '1' });
    assert.equal(ms.responses.length, 2);
    assert.equal(ms.responses[0]!.href, DIR + 'single.ics');
    assert.equal(lf(findProp(ms.responses[0]!, CALDATA)?.prop.text), lf(SINGLE));
    assert.equal(ms.responses[1]!.href, DIR + 'nope.ics');
    assert.equal(ms.responses[1]!.status, 404);
  });

  it('free-busy-query returns a VFREEBUSY without the excluded instance', async () => {
    const body =
      `<c:free-busy-query ${NSDECL}><c:time-range ` +
      `start="20260101T000000Z" end="20260120T000000Z"/></c:free-busy-query>`;
    const res = await client.send('REPORT', DIR, body, { depth: '1' });
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type']!, /^text\/calendar/);
    assert.deepEqual(res.body.match(/FREEBUSY;FBTYPE=BUSY:[^\r\n]+/g), [
      'FREEBUSY;FBTYPE=BUSY:20260105T100000Z/20260105T110000Z',
      'FREEBUSY;FBTYPE=BUSY:20260119T100000Z/20260119T110000Z',
    ]);
  });

  it('sync-collection: initial, incremental with a deletion, invalid token', async () => {
    const sync = (token: string) =>
      `<d:sync-collection xmlns:d="DAV:"><d:sync-token>${token}</d:sync-token>` +
      `<d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`;
    const initial = await client.ms('REPORT', DIR, sync(''));
    assert.deepEqual(hrefs(initial), [DIR + 'single.ics', DIR + 'weekly.ics']);
    assert.match(initial.syncToken!, /^https:\/\/calspec\.invalid\/sync\/\d+-\d+$/);
    assert.equal((await client.put(DIR + 'new.ics', vevent('new', ['DTSTART:20260110T100000Z']))).status, 201);
    assert.equal((await client.send('DELETE', DIR + 'single.ics')).status, 204);
    const inc = await client.ms('REPORT', DIR, sync(initial.syncToken!));
    assert.notEqual(inc.syncToken, initial.syncToken);
    const byHref = new Map(inc.responses.map((r) => [r.href, r]));
    assert.deepEqual([...byHref.keys()].sort(), [DIR + 'new.ics', DIR + 'single.ics']);
    assert.equal(byHref.get(DIR + 'single.ics')!.status, 404);
    assert.equal(byHref.get(DIR + 'new.ics')!.propstats[0]!.status, 200);
    const none = await client.ms('REPORT', DIR, sync(inc.syncToken!));
    assert.equal(none.responses.length, 0);
    const invalid = await client.send('REPORT', DIR, sync('https://calspec.invalid/sync/999999'));
    assert.equal(invalid.status, 403);
    assert.match(invalid.body, /valid-sync-token/);
  });

  it('an overridden instance (RECURRENCE-ID, TZID) moves: old slot free, new slot busy', async () => {
    const tz = [
      'BEGIN:VTIMEZONE',
      'TZID:Europe/Berlin',
      'BEGIN:STANDARD',
      'TZOFFSETFROM:+0200',
      'TZOFFSETTO:+0100',
      'DTSTART:19701025T030000',
      'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
      'END:STANDARD',
      'BEGIN:DAYLIGHT',
      'TZOFFSETFROM:+0100',
      'TZOFFSETTO:+0200',
      'DTSTART:19700329T020000',
      'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
      'END:DAYLIGHT',
      'END:VTIMEZONE',
    ];
    const override = [
      'BEGIN:VEVENT',
      'UID:berlin',
      'DTSTAMP:20260101T000000Z',
      'RECURRENCE-ID;TZID=Europe/Berlin:20260309T090000',
      'DTSTART;TZID=Europe/Berlin:20260310T150000',
      'DTEND;TZID=Europe/Berlin:20260310T160000',
      'END:VEVENT',
    ];
    const body = vevent(
      'berlin',
      [
        'DTSTART;TZID=Europe/Berlin:20260302T090000',
        'DTEND;TZID=Europe/Berlin:20260302T100000',
        'RRULE:FREQ=WEEKLY;COUNT=6',
      ],
      [...tz, ...override].join('\r\n'),
    );
    assert.equal((await client.put(DIR + 'berlin.ics', body)).status, 201);
    const at = async (s: string, e: string) =>
      hrefs(await client.ms('REPORT', DIR, query(range(s, e)), { depth: '1' })).includes(DIR + 'berlin.ics');
    assert.equal(await at('20260309T075000Z', '20260309T081000Z'), false, 'overridden slot');
    assert.equal(await at('20260310T140000Z', '20260310T141000Z'), true, 'moved instance');
    assert.equal(await at('20260330T075000Z', '20260330T081000Z'), true, '09:00 CEST after the DST change is 07:00Z');
    assert.equal(await at('20260330T080000Z', '20260330T090000Z'), false);
  });

  it('unknown REPORT is 403 supported-report', async () => {
    const res = await client.send('REPORT', DIR, '<x:mystery xmlns:x="urn:x"/>', { depth: '0' });
    assert.equal(res.status, 403);
    assert.match(res.body, /<d:supported-report\/>/);
  });
});
