import assert from 'node:assert/strict';
import { findProp } from '../../src/xml/index.js';
import type { RunningServer } from '../../src/server/index.js';
import { Client, NSDECL, propfindBody, vevent, withServer } from './helpers.js';

const CAL_DIR = '/calendars/test/objs/';
const ev = (uid: string, summary = 'x') =>
  vevent(uid, ['DTSTART:20260105T100000Z', 'DTEND:20260105T110000Z', `SUMMARY:${summary}`]);

describe('reference server: collections and objects', () => {
  let server: RunningServer;
  let client: Client;
  before(async () => {
    ({ server, client } = await withServer());
    const body =
      `<c:mkcalendar ${NSDECL}><d:set><d:prop><d:displayname>Objects</d:displayname>
      <c:supported-calendar-component-set><c:comp name="VEVENT"/>` +
      `</c:supported-calendar-component-set></d:prop></d:set></c:mkcalendar>`;
    assert.equal((await client.send('MKCALENDAR', CAL_DIR, body)).status, 201);
  });
  after(() => server.stop());

  it(
    'MKCALENDAR: props applied, 403 resource-must-be-null on existing, ' + '403 inside a calendar, 409 without parent',
    async () => {
      const ms = await client.ms(
        'PROPFIND',
        CAL_DIR,
        propfindBody('<d:displayname/><c:supported-calendar-component-set/>'),
        { depth: '0' },
      );
      assert.equal(findProp(ms.responses[0]!, '{DAV:}displayname')?.prop.text, 'Objects');
      const again = await client.send('MKCALENDAR', CAL_DIR);
      assert.equal(again.status, 403);
      assert.equal(again.headers['cache-control'], 'no-cache');
      assert.match(again.body, /resource-must-be-null/);
      const nested = await client.send('MKCALENDAR', CAL_DIR + 'inner/');
      assert.equal(nested.status, 403);
      assert.match(nested.body, /calendar-collection-location-ok/);
      assert.equal((await client.send('MKCALENDAR', '/calendars/test/missing/child/')).status, 409);
    },
  );

  it('PUT creates 201 with a strong ETag, GET returns it, update changes it, If-Match 412', async () => {
    const path = CAL_DIR + 'one.ics';
    const created = await client.put(path, ev('one'), { 'if-none-match': '*' });
    assert.equal(created.status, 201);
    const etag1 = created.headers.etag!;
    assert.match(etag1, /^"[^"]+"$/);
    const got = await client.send('GET', path);
    assert.equal(got.status, 200);
    assert.equal(got.headers.etag, etag1);
    assert.match(got.headers['content-type']!, /^text\/calendar/);
    assert.equal(got.body, ev('one'));
    assert.equal((await client.send('GET', path, undefined, { 'if-none-match': etag1 })).status, 304);
    const updated = await client.put(path, ev('one', 'changed'), { 'if-match': etag1 });
    assert.equal(updated.status, 204);
    assert.notEqual(updated.headers.etag, etag1);
    assert.equal((await client.put(path, ev('one', 'lost update'), { 'if-match': etag1 })).status, 412);
    assert.equal((await client.put(path, ev('one'), { 'if-none-match': '*' })).status, 412);
    assert.equal((await client.send('DELETE', path, undefined, { 'if-match': '"nope"' })).status, 412);
    assert.equal((await client.send('DELETE', path, undefined, { 'if-match': updated.headers.etag! })).status, 204);
    assert.equal((await client.send('GET', path)).status, 404);
    assert.equal((await client.put(CAL_DIR + 'missing/x.ics', ev('m'))).status, 409);
  });

  const preconditions: [string, string, Record<string, string>, string][] = [
    ['supported-calendar-data', ev('p1'), { 'content-type': 'text/plain' }, 'Content-Type not text/calendar'],
    ['valid-calendar-data', 'BEGIN:VCALENDAR\r\nthis is not ical\r\n', {}, 'unparsable'],
    ['valid-calendar-object-resource', ev('p2').replace('VERSION:2.0', 'VERSION:2.0\r\nMETHOD:REQUEST'), {}, 'METHOD'],
    ['valid-calendar-object-resource', ev('p3').replace(/UID:p3\r\n/, ''), {}, 'no UID'],
    [
      'valid-calendar-object-resource',
      ev('p4').replace(
        'END:VCALENDAR',
        'BEGIN:VEVENT\r\nUID:other\r\nDTSTART:20260101T000000Z\r\nEND:VEVENT\r\nEND:VCALENDAR',
      ),
      {},
      'two UIDs',
    ],
    ['supported-calendar-component', ev('p5').replace(/VEVENT/g, 'VTODO'), {}, 'VTODO into a VEVENT-only calendar'],
  ];
  for (const [condition, body, headers, why] of preconditions) {
    it(`PUT precondition ${condition} (${why})`, async () => {
      const res = await client.put(CAL_DIR + 'bad.ics', body, headers);
      assert.equal(res.status, 403, res.body);
      assert.match(res.body, new RegExp(`<d:error[^>]*><cal:${condition}/></d:error>`));
    });
  }

  it('no-uid-conflict names the existing resource', async () => {
    assert.equal((await client.put(CAL_DIR + 'u1.ics', ev('same-uid'))).status, 201);
    const res = await client.put(CAL_DIR + 'u2.ics', ev('same-uid'));
    assert.equal(res.status, 403);
    assert.match(
      res.body,
      /<cal:no-uid-conflict><d:href>\/calendars\/test\/objs\/u1\.ics<\/d:href><\/cal:no-uid-conflict>/,
    );
  });

  it('PROPPATCH is atomic: protected property 403, the others 424 and unchanged', async () => {
    const body =
      `<d:propertyupdate ${NSDECL} xmlns:x="urn:example">` +
      `<d:set><d:prop><d:displayname>Renamed</d:displayname>
      <d:getetag>"x"</d:getetag></d:prop></d:set></d:propertyupdate>`;
    const ms = await client.ms('PROPPATCH', CAL_DIR, body);
    const byName = new Map(ms.responses[0]!.propstats.flatMap((ps) => ps.props.map((p) => [p.name, ps] as const)));
    assert.equal(byName.get('{DAV:}getetag')?.status, 403);
    assert.equal(byName.get('{DAV:}getetag')?.error?.children[0]?.name, '{DAV:}cannot-modify-protected-property');
    assert.equal(byName.get('{DAV:}displayname')?.status, 424);
    const after = await client.ms('PROPFIND', CAL_DIR, propfindBody('<d:displayname/>'), { depth: '0' });
    assert.equal(findProp(after.responses[0]!, '{DAV:}displayname')?.prop.text, 'Objects');
  });

  it('PROPPATCH stores dead properties and calendar-color, and changes the CTag', async () => {
    const ctag = async () =>
      findProp(
        (await client.ms('PROPFIND', CAL_DIR, propfindBody('<cs:getctag/>'), { depth: '0' })).responses[0]!,
        '{http://calendarserver.org/ns/}getctag',
      )!.prop.text;
    const before = await ctag();
    const body = `<d:propertyupdate ${NSDECL} xmlns:x="urn:example" xmlns:i="http://apple.com/ns/ical/"><d:set><d:prop>
      <x:note>hello</x:note><i:calendar-color>#ff0000</i:calendar-color></d:prop></d:set></d:propertyupdate>`;
    const ms = await client.ms('PROPPATCH', CAL_DIR, body);
    assert.deepEqual(
      ms.responses[0]!.propstats.map((p) => p.status),
      [200],
    );
    const got = await client.ms(
      'PROPFIND',
      CAL_DIR,
      propfindBody('<x:note xmlns:x="urn:example"/><i:calendar-color xmlns:i="http://apple.com/ns/ical/"/>'),
      { depth: '0' },
    );
    assert.equal(findProp(got.responses[0]!, '{urn:example}note')?.prop.text, 'hello');
    assert.equal(findProp(got.responses[0]!, '{http://apple.com/ns/ical/}calendar-color')?.prop.text, '#ff0000');
    assert.notEqual(await ctag(), before);
  });

  it('COPY and MOVE honour Overwrite and calendar preconditions', async () => {
    assert.equal((await client.put(CAL_DIR + 'c1.ics', ev('copy-me'))).status, 201);
    const dest = (p: string) => ({ destination: client.origin + p });
    assert.equal((await client.send('MOVE', CAL_DIR + 'c1.ics', undefined, dest(CAL_DIR + 'c2.ics'))).status, 201);
    assert.equal((await client.send('GET', CAL_DIR + 'c1.ics')).status, 404);
    assert.equal((await client.send('GET', CAL_DIR + 'c2.ics')).status, 200);
    const dup = await client.send('COPY', CAL_DIR + 'c2.ics', undefined, dest(CAL_DIR + 'c3.ics'));
    assert.equal(dup.status, 403);
    assert.match(dup.body, /no-uid-conflict/);
    assert.equal(
      (await client.send('COPY', CAL_DIR + 'c2.ics', undefined, dest('/calendars/test/default/c2.ics'))).status,
      201,
    );
    const no = await client.send('COPY', CAL_DIR + 'c2.ics', undefined, {
      ...dest('/calendars/test/default/c2.ics'),
      overwrite: 'F',
    });
    assert.equal(no.status, 412);
  });

  it('DELETE of a calendar is recursive', async () => {
    assert.equal((await client.send('MKCALENDAR', '/calendars/test/tmp/')).status, 201);
    assert.equal((await client.put('/calendars/test/tmp/a.ics', ev('tmp-a'))).status, 201);
    assert.equal((await client.send('DELETE', '/calendars/test/tmp/')).status, 204);
    assert.equal((await client.send('GET', '/calendars/test/tmp/a.ics')).status, 404);
    assert.equal((await client.send('DELETE', '/calendars/test/')).status, 403);
  });

  it('oversized bodies are 413', async () => {
    const res = await client.put(CAL_DIR + 'huge.ics', 'x'.repeat(10 * 1024 * 1024 + 1));
    assert.equal(res.status, 413);
  });
});
