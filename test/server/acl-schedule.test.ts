// RFC 3744 sharing by ACL, RFC 6638 scheduling, and the RFC 4791 / 6578 limits.
import assert from 'node:assert/strict';
import { findProp, parseXml, selectPath } from '../../src/xml/index.js';
import type { RunningServer } from '../../src/server/index.js';
import { aclBody, Client, invite, NSDECL, propfindBody, vevent, withServer } from './helpers.js';

const DIR = '/calendars/test/default/';
const ev = (uid: string, lines: string[] = ['DTSTART:20260105T100000Z']) => vevent(uid, lines);

describe('reference server: ACL, scheduling, limits', () => {
  let server: RunningServer;
  let client: Client;
  let user1: Client;
  beforeEach(async () => {
    ({ server, client } = await withServer());
    user1 = client.as('user1', 'pass1');
  });
  afterEach(() => server.stop());

  it('ACL: read grant is enforced, write is not granted, acl and privilege properties reflect it', async () => {
    await client.put(DIR + 'a.ics', ev('a'));
    assert.equal((await user1.send('GET', DIR + 'a.ics')).status, 403);
    assert.equal((await client.send('ACL', DIR, aclBody('/principals/user1/', '<d:read/>'))).status, 200);
    assert.equal((await user1.send('GET', DIR + 'a.ics')).status, 200);
    const denied = await user1.put(DIR + 'a.ics', ev('a'));
    assert.equal(denied.status, 403);
    assert.match(denied.body, /need-privileges/);
    const props = propfindBody(
      '<d:acl/><d:current-user-privilege-set/><d:supported-privilege-set/><d:acl-restrictions/>',
    );
    const mine = (await client.ms('PROPFIND', DIR, props, { depth: '0' })).responses[0]!;
    assert.equal(findProp(mine, '{DAV:}acl')!.prop.children.length, 2);
    const theirs = (await user1.ms('PROPFIND', DIR, props, { depth: '0' })).responses[0]!;
    const cups = findProp(theirs, '{DAV:}current-user-privilege-set')!.prop.children.map((p) => p.children[0]!.name);
    assert.ok(cups.includes('{DAV:}read') && !cups.includes('{DAV:}write'));
    assert.match(JSON.stringify(findProp(theirs, '{DAV:}supported-privilege-set')), /read-free-busy/);
    assert.equal((await user1.send('ACL', DIR, aclBody('/principals/user1/', '<d:all/>'))).status, 403);
    assert.equal((await client.send('ACL', DIR, aclBody('/nobody/', '<d:read/>'))).status, 403);
    assert.match(
      (await client.send('ACL', DIR, aclBody('/principals/user1/', '<x:nope xmlns:x="urn:x"/>'))).body,
      /not-supported-privilege/,
    );
  });

  it('read-free-busy grant allows free-busy-query only', async () => {
    await client.put(DIR + 'a.ics', ev('a', ['DTSTART:20260105T100000Z', 'DTEND:20260105T110000Z']));
    const fb =
      `<c:free-busy-query ${NSDECL}><c:time-range ` +
      `start="20260101T000000Z" end="20260110T000000Z"/></c:free-busy-query>`;
    assert.equal((await user1.send('REPORT', DIR, fb, { depth: '1' })).status, 404);
    await client.send('ACL', DIR, aclBody('mailto:user1@example.com', '<c:read-free-busy/>'));
    assert.match((await user1.send('REPORT', DIR, fb, { depth: '1' })).body, /FREEBUSY;FBTYPE=BUSY:20260105T100000Z/);
    assert.equal((await user1.send('GET', DIR + 'a.ics')).status, 403);
  });

  it('implicit scheduling: delivery, SCHEDULE-STATUS, Schedule-Tag, reply, cancel', async () => {
    const put = await client.put(DIR + 'inv.ics', invite('inv'));
    assert.equal(put.status, 201);
    const tag = put.headers['schedule-tag']!;
    assert.match(tag, /^".+"$/);
    assert.equal(put.headers.etag, undefined, 'stored body differs from the request');
    assert.match((await client.send('GET', DIR + 'inv.ics')).body, /SCHEDULE-STATUS=1\.2/);
    const inbox = await user1.ms('PROPFIND', '/calendars/user1/inbox/', propfindBody('<d:getetag/>'), { depth: '1' });
    assert.equal(inbox.responses.length, 2);
    const message = await user1.send('GET', inbox.responses.find((r) => r.href.endsWith('.ics'))!.href);
    assert.match(message.body, /METHOD:REQUEST/);
    const mine = await user1.ms(
      'REPORT',
      '/calendars/user1/default/',
      `<c:calendar-query ${NSDECL}><d:prop><d:getetag/></d:prop><c:filter>` +
        `<c:comp-filter name="VCALENDAR"/></c:filter></c:calendar-query>`,
      { depth: '1' },
    );
    const path = mine.responses[0]!.href;
    const accepted = (await user1.send('GET', path)).body.replace('PARTSTAT=NEEDS-ACTION', 'PARTSTAT=ACCEPTED');
    assert.equal((await user1.put(path, accepted)).status, 204);
    const org = await client.send('GET', DIR + 'inv.ics');
    assert.match(org.body.replace(/\r\n /g, ''), /PARTSTAT=ACCEPTED[^\n]*user1@example\.com/);
    assert.equal(org.headers['schedule-tag'], tag, 'a merged reply keeps the Schedule-Tag');
    assert.equal(
      (await client.put(DIR + 'inv.ics', invite('inv', 'Moved'), { 'if-schedule-tag-match': '"stale"' })).status,
      412,
    );
    assert.equal(
      (await client.put(DIR + 'inv.ics', invite('inv', 'Moved'), { 'if-schedule-tag-match': tag })).status,
      204,
    );
    assert.equal((await client.send('DELETE', DIR + 'inv.ics')).status, 204);
    assert.match((await user1.send('GET', path)).body, /STATUS:CANCELLED/);
  });

  it('scheduling properties and outbox free-busy', async () => {
    const p = (
      await client.ms(
        'PROPFIND',
        '/principals/test/',
        propfindBody('<c:schedule-inbox-URL/><c:schedule-outbox-URL/><c:calendar-user-type/>'),
        { depth: '0' },
      )
    ).responses[0]!;
    assert.equal(
      findProp(p, '{urn:ietf:params:xml:ns:caldav}schedule-outbox-URL')!.prop.children[0]!.text,
      '/calendars/test/outbox/',
    );
    await user1.put('/calendars/user1/default/b.ics', ev('b', ['DTSTART:20260105T100000Z', 'DTEND:20260105T110000Z']));
    const req = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//x//EN',
      'METHOD:REQUEST',
      'BEGIN:VFREEBUSY',
      'UID:fb',
      'DTSTAMP:20260101T000000Z',
      'DTSTART:20260101T000000Z',
      'DTEND:20260110T000000Z',
      'ORGANIZER:mailto:test@example.com',
      'ATTENDEE:mailto:user1@example.com',
      'ATTENDEE:mailto:ghost@example.org',
      'END:VFREEBUSY',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    const res = await client.send('POST', '/calendars/test/outbox/', req, { 'content-type': 'text/calendar' });
    assert.equal(res.status, 200);
    const statuses = selectPath(parseXml(res.body), 'c:schedule-response/c:response/c:request-status').map(
      (e) => e.text,
    );
    assert.deepEqual(statuses, ['2.0;Success', '3.7;Invalid calendar user']);
    assert.match(res.body, /FREEBUSY;FBTYPE=BUSY:20260105T100000Z\/20260105T110000Z/);
    assert.equal(
      (await user1.send('POST', '/calendars/test/outbox/', req, { 'content-type': 'text/calendar' })).status,
      403,
    );
  });

  it('expand-property replaces hrefs by responses (RFC 3253 §3.8)', async () => {
    const body =
      '<d:expand-property xmlns:d="DAV:"><d:property ' +
      'name="calendar-home-set" namespace="urn:ietf:params:xml:ns:caldav">' +
      '<d:property name="resourcetype"/></d:property></d:expand-property>';
    const res = await client.send('REPORT', '/principals/test/', body, { depth: '0' });
    assert.equal(res.status, 207);
    assert.equal(
      selectPath(parseXml(res.body), '**/c:calendar-home-set/d:response/d:href')[0]?.text,
      '/calendars/test/',
    );
  });

  it('max-instances, max-attendees-per-instance, novalue, sync DAV:limit truncation', async () => {
    const many = await client.put(
      DIR + 'm.ics',
      ev('m', ['DTSTART:20260105T100000Z', 'RRULE:FREQ=MINUTELY;COUNT=20000']),
    );
    assert.match(many.body, /max-instances/);
    const crowd = Array.from({ length: 101 }, (_, i) => `ATTENDEE:mailto:u${i}@example.org`);
    assert.match(
      (await client.put(DIR + 'c.ics', ev('c', ['DTSTART:20260105T100000Z', ...crowd]))).body,
      /max-attendees-per-instance/,
    );
    for (const n of ['a', 'b', 'c']) await client.put(DIR + `${n}.ics`, ev(n));
    const limited =
      `<d:sync-collection xmlns:d="DAV:"><d:sync-token/><d:sync-level>1</d:sync-level>` +
      `<d:limit><d:nresults>1</d:nresults></d:limit><d:prop><d:getetag/></d:prop></d:sync-collection>`;
    const first = await client.ms('REPORT', DIR, limited);
    assert.deepEqual(
      first.responses.map((r) => r.status ?? 200),
      [200, 507],
    );
    const rest =
      `<d:sync-collection xmlns:d="DAV:"><d:sync-token>${first.syncToken}</d:sync-token>` +
      `<d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`;
    assert.equal((await client.ms('REPORT', DIR, rest)).responses.length, 2);
  });
});
