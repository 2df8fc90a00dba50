// RFC 7809 (time zones by reference) in the reference server, over HTTP: capability, storing objects
// without VTIMEZONE, CalDAV-Timezones on GET and REPORT, the WebDAV properties, timezone-id in
// calendar-query, the tzdist subset, and the built-in zone data itself.
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { findProp, type MultistatusResponse } from '../../src/xml/index.js';
import type { RunningServer } from '../../src/server/index.js';
import { BUILTIN_VTIMEZONES, calendarWithZone } from '../../src/server/tzdata.js';
import { Client, NSDECL, propfindBody, vevent, withServer } from './helpers.js';

const HOME = '/calendars/test/';
const DIR = '/calendars/test/tz/';
const CALTZ = '{urn:ietf:params:xml:ns:caldav}calendar-timezone';
const CALTZID = '{urn:ietf:params:xml:ns:caldav}calendar-timezone-id';
const SERVICE_SET = '{urn:ietf:params:xml:ns:caldav}timezone-service-set';
const CALDATA = '{urn:ietf:params:xml:ns:caldav}calendar-data';

/** 10:00-11:00 Berlin summer time (08:00Z) on 1 July 2026, the zone named by reference only. */
const byRef = (uid: string) =>
  vevent(uid, [
    'DTSTART;TZID=Europe/Berlin:20260701T100000',
    'DTEND;TZID=Europe/Berlin:20260701T110000',
    'SUMMARY:by reference',
  ]);
/** A client-defined Berlin with a wrong offset: proves whose definition is served. */
const CLIENT_BERLIN = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Berlin',
  'X-CLIENT-COPY:yes',
  'BEGIN:STANDARD',
  'DTSTART:19700101T000000',
  'TZOFFSETFROM:+0300',
  'TZOFFSETTO:+0300',
  'END:STANDARD',
  'END:VTIMEZONE',
].join('\r\n');
const CUSTOM_ZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:Calspec/Nowhere',
  'BEGIN:STANDARD',
  'DTSTART:19700101T000000',
  'TZOFFSETFROM:+0530',
  'TZOFFSETTO:+0530',
  'END:STANDARD',
  'END:VTIMEZONE',
].join('\r\n');

const zoneCount = (text: string) => (text.match(/^BEGIN:VTIMEZONE\r?$/gm) ?? []).length;
const tzids = (text: string) => [...text.matchAll(/^TZID:(.*?)\r?$/gm)].map((m) => m[1]);

function propertyupdate(inner: string): string {
  return `<d:propertyupdate ${NSDECL}>${inner}</d:propertyupdate>`;
}

function statusOf(r: MultistatusResponse, name: string): number | null | undefined {
  return r.propstats.find((ps) => ps.props.some((p) => p.name === name))?.status;
}

describe('reference server: RFC 7809 time zones by reference', () => {
  let server: RunningServer;
  let client: Client;
  const query = (inner: string, extra = '') =>
    `<c:calendar-query ${NSDECL}><d:prop><d:getetag/></d:prop>
    <c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT">${inner}</c:comp-filter>` +
    `</c:comp-filter></c:filter>${extra}</c:calendar-query>`;
  const range = (start: string, end: string) => `<c:time-range start="${start}" end="${end}"/>`;
  const matches = async (path: string, body: string) =>
    (await client.ms('REPORT', path, body, { depth: '1' })).responses.map((r) => r.href);
  const calProp = async (path: string, name: string) =>
    findProp(
      (
        await client.ms('PROPFIND', path, propfindBody(`<c:calendar-timezone/><c:calendar-timezone-id/>`), {
          depth: '0',
        })
      ).responses[0]!,
      name,
    );

  before(async () => {
    ({ server, client } = await withServer());
    assert.equal((await client.send('MKCALENDAR', DIR)).status, 201);
  });
  after(() => server.stop());

  it('advertises calendar-no-timezone on calendar homes and calendars (§3.1.1)', async () => {
    for (const path of [HOME, DIR]) {
      const dav = (await client.send('OPTIONS', path)).headers.dav ?? '';
      assert.ok(dav.split(/\s*,\s*/).includes('calendar-no-timezone'), `${path}: ${dav}`);
      assert.ok(dav.split(/\s*,\s*/).includes('calendar-access'), `${path}: ${dav}`);
    }
  });

  it('stores a known TZID without VTIMEZONE verbatim, and still refuses an unknown one (§3.1.4)', async () => {
    const created = await client.put(DIR + 'ref.ics', byRef('ref'));
    assert.equal(created.status, 201, created.body);
    // The PUT answer's ETag is only allowed because nothing was rewritten (RFC 4791 §5.3.4).
    assert.ok(created.headers.etag);
    const asStored = await client.send('GET', DIR + 'ref.ics', undefined, { 'caldav-timezones': 'F' });
    assert.equal(asStored.body, byRef('ref'));
    assert.equal(asStored.headers.etag, created.headers.etag);
    const unknown = await client.put(
      DIR + 'unknown.ics',
      vevent('unknown', ['DTSTART;TZID=Calspec/Nowhere:20260701T100000', 'DURATION:PT1H']),
    );
    assert.equal(unknown.status, 403);
    assert.match(unknown.body, /valid-calendar-data/);
    assert.equal((await client.send('GET', DIR + 'unknown.ics')).status, 404);
  });

  it('GET adds the built-in VTIMEZONE unless CalDAV-Timezones is F (§3.1.3)', async () => {
    await client.put(DIR + 'get.ics', byRef('get'));
    const variants: Record<string, string>[] = [{}, { 'caldav-timezones': 'T' }, { 'caldav-timezones': 'x' }];
    for (const headers of variants) {
      const res = await client.send('GET', DIR + 'get.ics', undefined, headers);
      assert.equal(res.status, 200);
      assert.equal(zoneCount(res.body), 1, JSON.stringify(headers));
      assert.deepEqual(tzids(res.body), ['Europe/Berlin']);
      // Definitions come first: single-pass readers meet the zone before the times using it.
      assert.ok(res.body.indexOf('BEGIN:VTIMEZONE') < res.body.indexOf('BEGIN:VEVENT'));
      assert.match(res.body, /TZOFFSETTO:\+0200/);
      assert.equal(res.headers.vary, 'CalDAV-Timezones');
      assert.equal(res.headers['content-length'], String(Buffer.byteLength(res.body)));
    }
    const without = await client.send('GET', DIR + 'get.ics', undefined, { 'caldav-timezones': 'F' });
    assert.equal(zoneCount(without.body), 0);
  });

  it(
    'F drops even a client-supplied copy of a known zone but keeps a ' +
      'zone only the client defines; T keeps the client copy',
    async () => {
      const body = vevent(
        'mixed',
        ['DTSTART;TZID=Europe/Berlin:20260701T100000', 'DTEND;TZID=Calspec/Nowhere:20260701T150000'],
        `${CLIENT_BERLIN}\r\n${CUSTOM_ZONE}`,
      ).replace(/(BEGIN:VEVENT[\s\S]*END:VEVENT\r\n)([\s\S]*)(END:VCALENDAR)/, '$2$1$3');
      assert.equal((await client.put(DIR + 'mixed.ics', body)).status, 201);
      const f = await client.send('GET', DIR + 'mixed.ics', undefined, { 'caldav-timezones': 'F' });
      assert.deepEqual(tzids(f.body), ['Calspec/Nowhere']);
      assert.doesNotMatch(f.body, /X-CLIENT-COPY/);
      const t = await client.send('GET', DIR + 'mixed.ics', undefined, { 'caldav-timezones': 'T' });
      assert.equal(t.body, body, 'nothing to add: the stored text goes out unchanged');
    },
  );

  it('calendar-data in REPORTs follows CalDAV-Timezones too, also with component selection', async () => {
    await client.put(DIR + 'rep.ics', byRef('rep'));
    const multiget = (caldata: string) =>
      `<c:calendar-multiget ${NSDECL}><d:prop>${caldata}</d:prop><d:href>${DIR}rep.ics</d:href></c:calendar-multiget>`;
    const full = '<c:calendar-data/>';
    const selected =
      '<c:calendar-data><c:comp name="VCALENDAR"><c:allprop/><c:comp name="VTIMEZONE"><c:allprop/><c:allcomp/>' +
      '</c:comp><c:comp name="VEVENT"><c:prop name="DTSTART"/></c:comp></c:comp></c:calendar-data>';
    for (const caldata of [full, selected]) {
      for (const [headers, n] of [
        [{}, 1],
        [{ 'caldav-timezones': 'T' }, 1],
        [{ 'caldav-timezones': 'F' }, 0],
      ] as const) {
        const ms = await client.ms('REPORT', DIR, multiget(caldata), { depth: '1', ...headers });
        const text = findProp(ms.responses[0]!, CALDATA)!.prop.text;
        assert.equal(zoneCount(text), n, `${caldata} ${JSON.stringify(headers)}: ${text}`);
        assert.match(text, /DTSTART;TZID=Europe\/Berlin:20260701T100000/);
      }
    }
  });

  it('getcontentlength is the length of the GET body', async () => {
    await client.put(DIR + 'len.ics', byRef('len'));
    const variants: Record<string, string>[] = [{}, { 'caldav-timezones': 'F' }];
    for (const headers of variants) {
      const ms = await client.ms('PROPFIND', DIR + 'len.ics', propfindBody('<d:getcontentlength/>'), {
        depth: '0',
        ...headers,
      });
      const got = await client.send('GET', DIR + 'len.ics', undefined, headers);
      assert.equal(
        findProp(ms.responses[0]!, '{DAV:}getcontentlength')?.prop.text,
        String(Buffer.byteLength(got.body)),
      );
    }
  });

  it('time-range queries and expand resolve a zone stored by reference with the built-in rules', async () => {
    await client.put(
      DIR + 'when.ics',
      vevent('when', ['DTSTART;TZID=America/New_York:20260105T090000', 'DURATION:PT1H', 'RRULE:FREQ=WEEKLY;COUNT=30']),
    );
    // 09:00 New York is 14:00Z in January (EST) and 13:00Z in July (EDT).
    assert.ok(
      (await matches(DIR, query(range('20260105T140000Z', '20260105T143000Z')))).some((h) => h.endsWith('when.ics')),
    );
    assert.ok(
      !(await matches(DIR, query(range('20260105T090000Z', '20260105T100000Z')))).some((h) => h.endsWith('when.ics')),
    );
    assert.ok(
      (await matches(DIR, query(range('20260706T130000Z', '20260706T133000Z')))).some((h) => h.endsWith('when.ics')),
    );
    const expand =
      `<c:calendar-multiget ${NSDECL}><d:prop><c:calendar-data>` +
      `<c:expand start="20260706T000000Z" end="20260707T000000Z"/></c:calendar-data></d:prop>
      <d:href>${DIR}when.ics</d:href></c:calendar-multiget>`;
    const text = findProp((await client.ms('REPORT', DIR, expand)).responses[0]!, CALDATA)!.prop.text;
    assert.match(text, /DTSTART:20260706T130000Z/);
    assert.equal(zoneCount(text), 0, 'expanded data has no TZIDs, so no VTIMEZONE (RFC 4791 §9.6.5)');
  });

  it(
    'timezone-service-set names the tzdist service on the home only, ' + 'protected and not in allprop (§5.1)',
    async () => {
      const home = (await client.ms('PROPFIND', HOME, propfindBody('<c:timezone-service-set/>'), { depth: '0' }))
        .responses[0]!;
      const set = findProp(home, SERVICE_SET);
      assert.equal(set?.status, 200);
      assert.deepEqual(
        set?.prop.children.map((c) => [c.name, c.text]),
        [['{DAV:}href', '/tzdist/']],
      );
      const cal = (await client.ms('PROPFIND', DIR, propfindBody('<c:timezone-service-set/>'), { depth: '0' }))
        .responses[0]!;
      assert.equal(findProp(cal, SERVICE_SET)?.status, 404);
      const all = await client.send('PROPFIND', HOME, `<d:propfind ${NSDECL}><d:allprop/></d:propfind>`, {
        depth: '0',
      });
      assert.doesNotMatch(all.body, /timezone-service-set/);
      const names = await client.send('PROPFIND', HOME, `<d:propfind ${NSDECL}><d:propname/></d:propfind>`, {
        depth: '0',
      });
      assert.match(names.body, /timezone-service-set/);
      const set2 = await client.ms(
        'PROPPATCH',
        HOME,
        propertyupdate(
          '<d:set><d:prop><c:timezone-service-set><d:href>https://evil.example/</d:href>' +
            '</c:timezone-service-set></d:prop></d:set>',
        ),
      );
      assert.equal(statusOf(set2.responses[0]!, SERVICE_SET), 403);
    },
  );

  it(
    'calendar-timezone-id reads UTC by default and stays in step ' + 'with calendar-timezone both ways (§3.1.5)',
    async () => {
      const path = '/calendars/test/tzid/';
      assert.equal((await client.send('MKCALENDAR', path)).status, 201);
      assert.equal((await calProp(path, CALTZID))?.prop.text, 'UTC');
      const byId = await client.ms(
        'PROPPATCH',
        path,
        propertyupdate(
          '<d:set><d:prop><c:calendar-timezone-id>America/New_York</c:calendar-timezone-id></d:prop></d:set>',
        ),
      );
      assert.equal(statusOf(byId.responses[0]!, CALTZID), 200);
      assert.equal((await calProp(path, CALTZID))?.prop.text, 'America/New_York');
      assert.match(
        (await calProp(path, CALTZ))!.prop.text,
        /BEGIN:VTIMEZONE[\s\S]*TZID:America\/New_York[\s\S]*TZOFFSETTO:-0400/,
      );
      // The other direction: a full (even non-standard) calendar-timezone sets the id.
      const full = `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\n${CUSTOM_ZONE}\r\nEND:VCALENDAR\r\n`;
      await client.ms(
        'PROPPATCH',
        path,
        propertyupdate(
          `<d:set><d:prop><c:calendar-timezone><![CDATA[${full}]]></c:calendar-timezone></d:prop></d:set>`,
        ),
      );
      assert.equal((await calProp(path, CALTZID))?.prop.text, 'Calspec/Nowhere');
      const removed = await client.ms(
        'PROPPATCH',
        path,
        propertyupdate('<d:remove><d:prop><c:calendar-timezone-id/></d:prop></d:remove>'),
      );
      assert.equal(statusOf(removed.responses[0]!, CALTZID), 200);
      assert.equal((await calProp(path, CALTZID))?.prop.text, 'UTC');
      const all = await client.send('PROPFIND', path, `<d:propfind ${NSDECL}><d:allprop/></d:propfind>`, {
        depth: '0',
      });
      assert.doesNotMatch(all.body, /calendar-timezone-id/);
    },
  );

  it('an unknown calendar-timezone-id is refused with valid-timezone and changes nothing', async () => {
    const path = '/calendars/test/tzbad/';
    assert.equal((await client.send('MKCALENDAR', path)).status, 201);
    const ms = await client.ms(
      'PROPPATCH',
      path,
      propertyupdate(
        '<d:set><d:prop><d:displayname>Bad</d:displayname>' +
          '<c:calendar-timezone-id>Mars/Olympus_Mons</c:calendar-timezone-id></d:prop></d:set>',
      ),
    );
    const failed = ms.responses[0]!.propstats.find((ps) => ps.props.some((p) => p.name === CALTZID))!;
    assert.equal(failed.status, 403);
    assert.equal(failed.error?.children[0]?.name, '{urn:ietf:params:xml:ns:caldav}valid-timezone');
    assert.equal(statusOf(ms.responses[0]!, '{DAV:}displayname'), 424);
    assert.equal((await calProp(path, CALTZID))?.prop.text, 'UTC');
    // MKCALENDAR goes through the same check.
    const mk = await client.send(
      'MKCALENDAR',
      '/calendars/test/tzbad2/',
      `<c:mkcalendar ${NSDECL}><d:set><d:prop><c:calendar-timezone-id>Mars/Olympus_Mons` +
        `</c:calendar-timezone-id></d:prop></d:set></c:mkcalendar>`,
    );
    assert.equal(mk.status, 403);
    assert.match(mk.body, /valid-timezone/);
  });

  it('floating times follow a zone set by identifier; calendar-query timezone-id overrides it (§3.1.6)', async () => {
    const path = '/calendars/test/tokyo/';
    const mk =
      `<c:mkcalendar ${NSDECL}><d:set><d:prop>` +
      `<c:calendar-timezone-id>Asia/Tokyo</c:calendar-timezone-id></d:prop></d:set></c:mkcalendar>`;
    assert.equal((await client.send('MKCALENDAR', path, mk)).status, 201);
    await client.put(path + 'float.ics', vevent('float', ['DTSTART:20260701T100000', 'DURATION:PT1H']));
    // 10:00 floating is 01:00Z in Tokyo, 17:00Z in Los Angeles (PDT).
    assert.equal((await matches(path, query(range('20260701T010000Z', '20260701T013000Z')))).length, 1);
    assert.equal((await matches(path, query(range('20260701T100000Z', '20260701T103000Z')))).length, 0);
    const la = '<c:timezone-id>America/Los_Angeles</c:timezone-id>';
    assert.equal((await matches(path, query(range('20260701T170000Z', '20260701T173000Z'), la))).length, 1);
    assert.equal((await matches(path, query(range('20260701T010000Z', '20260701T013000Z'), la))).length, 0);
    const unknown = await client.send(
      'REPORT',
      path,
      query(range('20260701T000000Z', '20260702T000000Z'), '<c:timezone-id>Mars/Olympus_Mons</c:timezone-id>'),
      { depth: '1' },
    );
    assert.equal(unknown.status, 403);
    assert.match(unknown.body, /<cal:valid-timezone\/>/);
    const both = query(
      range('20260701T000000Z', '20260702T000000Z'),
      `<c:timezone><![CDATA[${calendarWithZone('UTC')}]]></c:timezone>${la}`,
    );
    assert.equal((await client.send('REPORT', path, both, { depth: '1' })).status, 400);
  });

  it('the tzdist subset serves the built-in zones without authentication', async () => {
    const anon = client.anonymous();
    const wk = await anon.send('GET', '/.well-known/timezone');
    assert.equal(wk.status, 301);
    assert.equal(wk.headers.location, '/tzdist/');
    const caps = JSON.parse((await anon.send('GET', '/tzdist/capabilities')).body) as { actions: { name: string }[] };
    assert.deepEqual(
      caps.actions.map((a) => a.name),
      ['capabilities', 'list', 'get'],
    );
    const list = JSON.parse((await anon.send('GET', '/tzdist/zones')).body) as { timezones: { tzid: string }[] };
    assert.deepEqual(list.timezones.map((z) => z.tzid).sort(), [...BUILTIN_VTIMEZONES.keys()].sort());
    const zone = await anon.send('GET', '/tzdist/zones/Australia/Sydney');
    assert.equal(zone.status, 200);
    assert.match(zone.headers['content-type']!, /^text\/calendar/);
    assert.deepEqual(tzids(zone.body), ['Australia/Sydney']);
    const missing = await anon.send('GET', '/tzdist/zones/Mars/Olympus_Mons');
    assert.equal(missing.status, 404);
    assert.match(missing.body, /tzid-not-found/);
  });
});

describe('reference server: built-in zone data', () => {
  it('holds at least the documented zones', () => {
    for (const tzid of [
      'UTC',
      'Europe/Berlin',
      'Europe/London',
      'America/New_York',
      'America/Los_Angeles',
      'Asia/Tokyo',
      'Australia/Sydney',
    ]) {
      assert.ok(BUILTIN_VTIMEZONES.has(tzid), tzid);
    }
  });

  const formats = new Map<string, Intl.DateTimeFormat>();

  /** Offset in minutes east of UTC at `instant`, as Node's own zone database (ICU) knows it. */
  function intlOffset(tzid: string, instant: Date): number {
    let format = formats.get(tzid);
    if (!format)
      formats.set(tzid, (format = new Intl.DateTimeFormat('en-US', { timeZone: tzid, timeZoneName: 'longOffset' })));
    const name = format.formatToParts(instant).find((p) => p.type === 'timeZoneName')!.value;
    const m = /GMT(?:([+-])(\d{2}):(\d{2}))?/.exec(name)!;
    return m[1] ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  }

  /** UTC instant (ms) of a wall-clock time in `tzid`, by Node's own zone database (unambiguous times only). */
  function systemInstant(tzid: string, wall: number): number {
    const guess = wall - intlOffset(tzid, new Date(wall)) * 60000;
    return wall - intlOffset(tzid, new Date(guess)) * 60000;
  }

  /** The same instant as the server computes it: ical.js reading the local time with our VTIMEZONE. */
  function ownInstant(zone: ICAL.Timezone, wall: Date): number {
    const t = ICAL.Time.fromData(
      {
        year: wall.getUTCFullYear(),
        month: wall.getUTCMonth() + 1,
        day: wall.getUTCDate(),
        hour: wall.getUTCHours(),
        minute: 0,
        second: 0,
      },
      zone,
    );
    return t.toUnixTime() * 1000;
  }

  // Local → UTC is the direction the server needs (TZID-qualified times into time ranges). The four
  // wall times of each day avoid the skipped and repeated hours of every zone here (01:00-03:00).
  it('agrees with the system zone database at 00/06/12/18 local time every day of 2026-2030 (current rules)', () => {
    const mismatches: string[] = [];
    for (const tzid of BUILTIN_VTIMEZONES.keys()) {
      const root = new ICAL.Component(ICAL.parse(calendarWithZone(tzid)!) as unknown[]);
      const zone = new ICAL.Timezone(root.getFirstSubcomponent('vtimezone')!);
      for (let wall = Date.UTC(2026, 0, 1); wall < Date.UTC(2031, 0, 1); wall += 6 * 3600 * 1000) {
        const own = ownInstant(zone, new Date(wall));
        const sys = systemInstant(tzid, wall);
        if (own !== sys)
          mismatches.push(
            `${tzid} local ${new Date(wall).toISOString().slice(0, 16)}: ` +
              `ours ${new Date(own).toISOString()}, system ${new Date(sys).toISOString()}`,
          );
      }
    }
    assert.deepEqual(mismatches.slice(0, 10), []);
  });
});
