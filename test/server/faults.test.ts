// Every fault must change what a client observes; otherwise calspec could not be shown to catch it.
import assert from 'node:assert/strict';
import { Client as UndiciClient } from 'undici';
import { findProp } from '../../src/xml/index.js';
import { FAULTS } from '../../src/server/index.js';
import { aclBody, Client, invite, lockinfo, NSDECL, propfindBody, vevent, withServer } from './helpers.js';

const DIR = '/calendars/test/default/';
const ev = (uid: string, lines = ['DTSTART:20260105T100000Z', 'DTEND:20260105T110000Z', 'SUMMARY:Weekly Sync']) =>
  vevent(uid, lines);
const query = (inner: string) => `<c:calendar-query ${NSDECL}><d:prop><d:getetag/><c:calendar-data/></d:prop>
  <c:filter><c:comp-filter name="VCALENDAR">${inner}</c:comp-filter></c:filter></c:calendar-query>`;
const sync = (token: string) =>
  `<d:sync-collection xmlns:d="DAV:"><d:sync-token>${token}</d:sync-token>` +
  `<d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`;

/** Runs against a healthy server and a faulty one; returns something that must differ between them. */
type Probe = (c: Client) => Promise<unknown>;

const PROBES: Record<string, Probe> = {
  'etag-missing': async (c) => (await c.put(DIR + 'a.ics', ev('a'))).headers.etag !== undefined,
  'etag-unchanged': async (c) => {
    const a = (await c.put(DIR + 'a.ics', ev('a'))).headers.etag;
    return a === (await c.put(DIR + 'a.ics', ev('a').replace('Weekly', 'Daily'))).headers.etag;
  },
  'etag-weak': async (c) => (await c.put(DIR + 'a.ics', ev('a'))).headers.etag?.startsWith('W/'),
  'if-match-ignored': async (c) => {
    await c.put(DIR + 'a.ics', ev('a'));
    return (await c.put(DIR + 'a.ics', ev('a'), { 'if-match': '"stale"' })).status;
  },
  'if-none-match-ignored': async (c) => {
    await c.put(DIR + 'a.ics', ev('a'));
    return (await c.put(DIR + 'a.ics', ev('a'), { 'if-none-match': '*' })).status;
  },
  'propstat-merged': async (c) => {
    const ms = await c.ms('PROPFIND', DIR, propfindBody('<d:displayname/><d:nonexistent/>'), { depth: '0' });
    return ms.responses[0]!.propstats.map((p) => p.status);
  },
  'caldata-wrong-namespace': async (c) => {
    await c.put(DIR + 'a.ics', ev('a'));
    return (await c.send('REPORT', DIR, query('<c:comp-filter name="VEVENT"/>'), { depth: '1' })).body.includes(
      '<cal:calendar-data>',
    );
  },
  'timerange-end-inclusive': async (c) => {
    await c.put(DIR + 'a.ics', ev('a'));
    const tr =
      '<c:comp-filter name="VEVENT"><c:time-range start="20260105T090000Z" end="20260105T100000Z"/></c:comp-filter>';
    return (await c.ms('REPORT', DIR, query(tr), { depth: '1' })).responses.length;
  },
  'recurrence-not-expanded': async (c) => {
    await c.put(DIR + 'a.ics', ev('a', ['DTSTART:20260105T100000Z', 'DTEND:20260105T110000Z', 'RRULE:FREQ=WEEKLY']));
    const tr =
      '<c:comp-filter name="VEVENT"><c:time-range start="20260601T000000Z" end="20260701T000000Z"/></c:comp-filter>';
    return (await c.ms('REPORT', DIR, query(tr), { depth: '1' })).responses.length;
  },
  'sync-omits-deletions': async (c) => {
    await c.put(DIR + 'a.ics', ev('a'));
    const token = (await c.ms('REPORT', DIR, sync(''))).syncToken!;
    await c.send('DELETE', DIR + 'a.ics');
    return (await c.ms('REPORT', DIR, sync(token))).responses.length;
  },
  'sync-token-static': async (c) => {
    const token = (await c.ms('REPORT', DIR, sync(''))).syncToken;
    await c.put(DIR + 'a.ics', ev('a'));
    return token === (await c.ms('REPORT', DIR, sync(''))).syncToken;
  },
  'dav-header-no-calendar-access': async (c) => (await c.send('OPTIONS', DIR)).headers.dav?.includes('calendar-access'),
  'mkcalendar-overwrites': async (c) => (await c.send('MKCALENDAR', DIR)).status,
  'accept-invalid-ical': async (c) => (await c.put(DIR + 'bad.ics', 'BEGIN:VCALENDAR\r\nnot ical at all\r\n')).status,
  'textmatch-case-sensitive': async (c) => {
    await c.put(DIR + 'a.ics', ev('a'));
    const tm =
      '<c:comp-filter name="VEVENT"><c:prop-filter name="SUMMARY">' +
      '<c:text-match>weekly sync</c:text-match></c:prop-filter></c:comp-filter>';
    return (await c.ms('REPORT', DIR, query(tm), { depth: '1' })).responses.length;
  },
  'multiget-drops-missing': async (c) => {
    const body =
      `<c:calendar-multiget ${NSDECL}><d:prop><d:getetag/>` +
      `</d:prop><d:href>${DIR}nope.ics</d:href></c:calendar-multiget>`;
    return (await c.ms('REPORT', DIR, body, { depth: '1' })).responses.length;
  },
  'precondition-500': async (c) => (await c.put(DIR + 'bad.ics', ev('a'), { 'content-type': 'text/plain' })).status,
  'ctag-static': async (c) => {
    const ctag = async () =>
      findProp(
        (await c.ms('PROPFIND', DIR, propfindBody('<cs:getctag/>'), { depth: '0' })).responses[0]!,
        '{http://calendarserver.org/ns/}getctag',
      )?.prop.text;
    const before = await ctag();
    await c.put(DIR + 'a.ics', ev('a'));
    return before === (await ctag());
  },
  'uid-conflict-allowed': async (c) => {
    await c.put(DIR + 'a.ics', ev('same'));
    return (await c.put(DIR + 'b.ics', ev('same'))).status;
  },
  'current-user-principal-missing': async (c) => {
    const ms = await c.ms('PROPFIND', '/', propfindBody('<d:current-user-principal/>'), { depth: '0' });
    return findProp(ms.responses[0]!, '{DAV:}current-user-principal')?.status;
  },
  'propstat-no-status': async (c) =>
    (await c.ms('PROPFIND', '/', propfindBody('<d:current-user-principal/>'), { depth: '0' })).responses[0]!
      .propstats[0]!.statusLine,
  'principal-other-user': async (c) => {
    const ms = await c.ms('PROPFIND', '/', propfindBody('<d:current-user-principal/>'), { depth: '0' });
    return findProp(ms.responses[0]!, '{DAV:}current-user-principal')?.prop.children[0]?.text;
  },
  'depth-ignored': async (c) =>
    (await c.ms('PROPFIND', '/calendars/test/', propfindBody('<d:resourcetype/>'), { depth: '0' })).responses.length,
  // Two OPTIONS on one connection (a short stall set for the test): is the second one late?
  'keepalive-stall': async (c) => {
    const saved = process.env.CALSPEC_KEEPALIVE_STALL_MS;
    process.env.CALSPEC_KEEPALIVE_STALL_MS = '400';
    const conn = new UndiciClient(c.origin);
    try {
      const options = async () => (await conn.request({ method: 'OPTIONS', path: '/' })).body.text();
      await options();
      const t0 = performance.now();
      await options();
      return performance.now() - t0 > 300;
    } finally {
      await conn.close();
      if (saved === undefined) delete process.env.CALSPEC_KEEPALIVE_STALL_MS;
      else process.env.CALSPEC_KEEPALIVE_STALL_MS = saved;
    }
  },
  'status-200-on-create': async (c) => (await c.put(DIR + 'new.ics', ev('new'))).status,
  'put-not-stored': async (c) => {
    const created = (await c.put(DIR + 'new.ics', ev('new'))).status;
    return [created, (await c.send('GET', DIR + 'new.ics')).status];
  },
  'mkcalendar-noop': async (c) => {
    const made = (await c.send('MKCALENDAR', '/calendars/test/made/')).status;
    await c.put('/calendars/test/made/x.ics', ev('x'));
    return [
      made,
      (await c.send('GET', '/calendars/test/made/x.ics')).status,
      (await c.send('GET', '/calendars/test/x.ics')).status,
    ];
  },
  'put-stores-on-400': async (c) => {
    const status = (await c.put(DIR + 'new.ics', ev('new'))).status;
    return [status, (await c.send('GET', DIR + 'new.ics')).status];
  },
  'lock-ignored': async (c) => {
    await c.put(DIR + 'a.ics', ev('a'));
    await c.send('LOCK', DIR + 'a.ics', lockinfo(), { timeout: 'Second-60' });
    return (await c.put(DIR + 'a.ics', ev('a'))).status;
  },
  'acl-not-enforced': async (c) => {
    await c.put(DIR + 'a.ics', ev('a'));
    await c.send('ACL', DIR, aclBody('/principals/user1/', '<d:read/>'));
    return (await c.as('user1', 'pass1').put(DIR + 'a.ics', ev('a'))).status;
  },
  'schedule-tag-ignored': async (c) => {
    await c.put(DIR + 'a.ics', invite('a'));
    return (await c.put(DIR + 'a.ics', invite('a', 'Moved'), { 'if-schedule-tag-match': '"stale"' })).status;
  },
  'ical-lines-unfolded': async (c) => {
    await c.put(
      DIR + 'a.ics',
      ev('a', ['DTSTART:20260105T100000Z', 'DURATION:PT1H', `DESCRIPTION:${'x'.repeat(70)}\r\n ${'y'.repeat(70)}`]),
    );
    return Math.max(...(await c.send('GET', DIR + 'a.ics')).body.split('\r\n').map((l) => l.length));
  },
  'lock-refused': async (c) => {
    await c.put(DIR + 'a.ics', ev('a'));
    const dav = (await c.send('OPTIONS', DIR)).headers.dav?.split(/,\s*/).includes('2');
    return [dav, (await c.send('LOCK', DIR + 'a.ics', lockinfo(), { timeout: 'Second-60' })).status];
  },
  'no-lock': async (c) => {
    await c.put(DIR + 'a.ics', ev('a'));
    const dav = (await c.send('OPTIONS', DIR)).headers.dav?.split(/,\s*/).includes('2');
    return [dav, (await c.send('LOCK', DIR + 'a.ics', lockinfo(), { timeout: 'Second-60' })).status];
  },
  'no-copy': async (c) => {
    await c.put(DIR + 'a.ics', ev('a'));
    const to = (name: string) => ({ destination: `${c.origin}/calendars/test/${name}` });
    return [
      (await c.send('COPY', DIR + 'a.ics', undefined, to('x.ics'))).status,
      (await c.send('MOVE', DIR + 'a.ics', undefined, to('y.ics'))).status,
    ];
  },
  'no-move': async (c) => {
    await c.put(DIR + 'a.ics', ev('a'));
    const to = { destination: `${c.origin}/calendars/test/default/moved.ics` };
    return (await c.send('MOVE', DIR + 'a.ics', undefined, to)).status;
  },
  'acl-read-only': async (c) => (await c.send('ACL', DIR, aclBody('/principals/user1/', '<d:read/>'))).status,
  'partial-move': async (c) => {
    await c.put(DIR + 'a.ics', ev('a'));
    const to = (path: string) => ({ destination: `${c.origin}${path}` });
    return [
      (await c.send('MOVE', DIR + 'a.ics', undefined, to(DIR + 'renamed.ics'))).status,
      (await c.send('MOVE', DIR, undefined, to('/calendars/test/moved/'))).status,
    ];
  },
  'no-vfreebusy': async (c) => {
    const mk =
      `<c:mkcalendar ${NSDECL}><d:set><d:prop><c:supported-calendar-component-set><c:comp name="VEVENT"/>` +
      '<c:comp name="VFREEBUSY"/></c:supported-calendar-component-set></d:prop></d:set></c:mkcalendar>';
    await c.send('MKCALENDAR', '/calendars/test/fb/', mk);
    const fb = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//t//t//EN',
      'BEGIN:VFREEBUSY',
      'UID:fb',
      'DTSTAMP:20260101T000000Z',
      'DTSTART:20260105T000000Z',
      'DTEND:20260106T000000Z',
      'END:VFREEBUSY',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    return (await c.put('/calendars/test/fb/fb.ics', fb)).status;
  },
  'no-optional-props': async (c) => {
    const names = [
      'max-resource-size',
      'min-date-time',
      'max-date-time',
      'max-instances',
      'max-attendees-per-instance',
    ];
    const ms = await c.ms('PROPFIND', DIR, propfindBody(names.map((n) => `<c:${n}/>`).join('')), { depth: '0' });
    return names.map((n) => findProp(ms.responses[0]!, `{urn:ietf:params:xml:ns:caldav}${n}`)?.status);
  },
  'tzref-vtimezone-missing': async (c) => {
    await c.put(DIR + 'a.ics', ev('a', ['DTSTART;TZID=Europe/Berlin:20260105T100000', 'DURATION:PT1H']));
    return (await c.send('GET', DIR + 'a.ics', undefined, { 'caldav-timezones': 'T' })).body.includes(
      'BEGIN:VTIMEZONE',
    );
  },
};

describe('reference server: faults', () => {
  it('every declared fault has a probe, names an RFC section and a description', () => {
    assert.deepEqual(FAULTS.map((f) => f.name).sort(), Object.keys(PROBES).sort());
    const section = /^(RFC \d+|draft-[a-z-]+) §[\d.]+$/;
    for (const f of FAULTS) {
      // An absence violates nothing; it names the section that makes the capability optional.
      if (f.optional) assert.ok(f.violates === 'none' && section.test(f.optional), f.name);
      // A performance defect (keepalive-stall) breaks no requirement either.
      else if (f.performance) assert.equal(f.violates, 'none', f.name);
      else assert.match(f.violates, section, f.name);
    }
  });

  for (const fault of FAULTS) {
    it(`${fault.name} changes observable behaviour`, async () => {
      const healthy = await withServer();
      const faulty = await withServer({ faults: [fault.name] });
      try {
        assert.deepEqual(faulty.server.faults, [fault.name]);
        const expected = await PROBES[fault.name]!(healthy.client);
        const actual = await PROBES[fault.name]!(faulty.client);
        assert.notDeepEqual(
          actual,
          expected,
          `${fault.name}: healthy=${JSON.stringify(expected)} faulty=${JSON.stringify(actual)}`,
        );
      } finally {
        await Promise.all([healthy.server.stop(), faulty.server.stop()]);
      }
    });
  }
});
