import assert from 'node:assert/strict';
import { request } from 'undici';
import { findProp, hrefPath } from '../../src/xml/index.js';
import { FAULTS, startReferenceServer, type RunningServer } from '../../src/server/index.js';
import { Client, propfindBody, withServer } from './helpers.js';

const DAV = (l: string) => `{DAV:}${l}`;
const CAL = (l: string) => `{urn:ietf:params:xml:ns:caldav}${l}`;

async function discover(client: Client, start: string): Promise<{ principal: string; home: string }> {
  const root = await client.ms('PROPFIND', start, propfindBody('<d:current-user-principal/>'), { depth: '0' });
  const cup = findProp(root.responses[0]!, DAV('current-user-principal'));
  assert.equal(cup?.status, 200);
  const principal = hrefPath(cup!.prop.children[0]!.text);
  const p = await client.ms('PROPFIND', principal, propfindBody('<c:calendar-home-set/>'), { depth: '0' });
  const home = findProp(p.responses[0]!, CAL('calendar-home-set'));
  return { principal, home: hrefPath(home!.prop.children[0]!.text) };
}

describe('reference server: discovery and auth', () => {
  let server: RunningServer;
  let client: Client;
  before(async () => ({ server, client } = await withServer()));
  after(() => server.stop());

  it('plain layout: well-known redirect, principal, home, default calendar', async () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const wk = await client.anonymous().send('PROPFIND', '/.well-known/caldav');
    assert.equal(wk.status, 301);
    assert.equal(wk.headers.location, '/');
    assert.deepEqual(await discover(client, '/'), { principal: '/principals/test/', home: '/calendars/test/' });
    const home = await client.ms('PROPFIND', '/calendars/test/', propfindBody('<d:resourcetype/>'), { depth: '1' });
    const cal = home.responses.find((r) => r.href === '/calendars/test/default/');
    assert.ok(cal, 'default calendar listed');
    assert.ok(findProp(cal, DAV('resourcetype'))!.prop.children.some((c) => c.name === CAL('calendar')));
  });

  it('OPTIONS without auth advertises calendar-access and MKCALENDAR', async () => {
    const res = await client.anonymous().send('OPTIONS', '/calendars/test/');
    assert.equal(res.status, 200);
    assert.match(res.headers.dav!, /\bcalendar-access\b/);
    assert.match(res.headers.dav!, /^1, 2, 3, access-control/);
    for (const m of ['MKCALENDAR', 'REPORT', 'PROPFIND', 'PUT'])
      assert.match(res.headers.allow!, new RegExp(`\\b${m}\\b`));
  });

  it('401 with a Basic challenge when credentials are missing or wrong', async () => {
    for (const c of [client.anonymous(), client.as('test', 'nope')]) {
      const res = await c.send('PROPFIND', '/calendars/test/', propfindBody('<d:displayname/>'), { depth: '0' });
      assert.equal(res.status, 401);
      assert.equal(res.headers['www-authenticate'], 'Basic realm="calspec-reference"');
    }
  });

  it("403 on another user's home, other principals readable for discovery", async () => {
    const other = client.as('user1', 'pass1');
    const res = await other.send('PROPFIND', '/calendars/test/', propfindBody('<d:displayname/>'), { depth: '0' });
    assert.equal(res.status, 403);
    assert.match(res.body, /need-privileges/);
    assert.equal((await other.put('/calendars/test/default/x.ics', 'BEGIN:VCALENDAR')).status, 403);
    const p = await other.send('PROPFIND', '/principals/test/', propfindBody('<d:displayname/>'), { depth: '0' });
    assert.equal(p.status, 207);
  });

  it('Depth infinity (and a missing Depth) PROPFIND is refused with propfind-finite-depth', async () => {
    for (const headers of [{ depth: 'infinity' }, {}] as Record<string, string>[]) {
      const res = await client.send('PROPFIND', '/calendars/test/', propfindBody('<d:displayname/>'), headers);
      assert.equal(res.status, 403);
      assert.match(res.body, /propfind-finite-depth/);
    }
  });

  it('malformed XML is 400, unimplemented methods 501, SEARCH 405', async () => {
    assert.equal((await client.send('PROPFIND', '/', '<d:propfind xmlns:d="DAV:">', { depth: '0' })).status, 400);
    assert.equal((await client.send('PURGE', '/')).status, 501);
    assert.equal((await client.send('SEARCH', '/calendars/test/')).status, 405);
  });

  it('unknown fault names are rejected with the list of valid ones', async () => {
    await assert.rejects(startReferenceServer({ faults: ['no-such-fault'] }), (e: Error) =>
      e.message.includes('etag-missing'),
    );
    assert.ok(FAULTS.length >= 18);
    assert.equal(new Set(FAULTS.map((f) => f.name)).size, FAULTS.length);
  });
});

describe('reference server: other layouts', () => {
  it('nextcloud: everything under /remote.php/dav/', async () => {
    const { server, client } = await withServer({ layout: 'nextcloud' });
    try {
      assert.ok(server.url.endsWith('/remote.php/dav/'));
      const wk = await client.send('GET', '/.well-known/caldav');
      assert.equal(wk.status, 301);
      assert.equal(wk.headers.location, '/remote.php/dav/');
      const found = await discover(client, '/remote.php/dav/');
      assert.deepEqual(found, {
        principal: '/remote.php/dav/principals/users/test/',
        home: '/remote.php/dav/calendars/test/',
      });
    } finally {
      await server.stop();
    }
  });

  it('google: Bearer auth, principal resource, MKCALENDAR 403, pre-existing events calendar', async () => {
    const { server, client } = await withServer({ layout: 'google' });
    try {
      const basic = await client.send('PROPFIND', '/caldav/v2/', propfindBody('<d:current-user-principal/>'), {
        depth: '0',
      });
      assert.equal(basic.status, 401);
      assert.match(basic.headers['www-authenticate']!, /^Bearer/);
      const g = client.bearer('test');
      assert.deepEqual(await discover(g, '/caldav/v2/'), {
        principal: '/caldav/v2/test/user',
        home: '/caldav/v2/test/',
      });
      assert.equal((await g.send('MKCALENDAR', '/caldav/v2/test/new/')).status, 403);
      const ev = await g.send('PROPFIND', '/caldav/v2/test/events/', propfindBody('<d:resourcetype/>'), { depth: '0' });
      assert.equal(ev.status, 207);
      assert.match(ev.body, /calendar/);
    } finally {
      await server.stop();
    }
  });

  it('stop() closes idle keep-alive connections promptly', async () => {
    const server = await startReferenceServer({ quiet: true });
    const res = await request(server.url, { method: 'OPTIONS' });
    await res.body.text();
    const t0 = Date.now();
    await server.stop();
    assert.ok(Date.now() - t0 < 1000);
    assert.equal(server.requestCount(), 1);
  });
});

describe('reference server: discovery faults', () => {
  const cup = async (c: Client, path = '/') =>
    findProp(
      (await c.ms('PROPFIND', path, propfindBody('<d:current-user-principal/>'), { depth: '0' })).responses[0]!,
      DAV('current-user-principal'),
    );

  it('propstat-no-status: PROPFIND propstats lose DAV:status, values stay; other methods keep theirs', async () => {
    const { server, client } = await withServer({ faults: ['propstat-no-status'] });
    try {
      const body = propfindBody('<d:current-user-principal/><d:nonexistent/>');
      const res = await client.send('PROPFIND', '/', body, { depth: '0' });
      assert.equal(res.status, 207);
      assert.doesNotMatch(res.body, /<d:status>|:status>|<status>/);
      const found = await cup(client);
      assert.equal(found?.status, null);
      assert.equal(hrefPath(found!.prop.children[0]!.text), '/principals/test/');
      // Only PROPFIND is affected: a PROPPATCH multistatus still carries its statuses.
      const patch = await client.send(
        'PROPPATCH',
        '/calendars/test/default/',
        '<d:propertyupdate xmlns:d="DAV:"><d:set><d:prop><d:displayname>x</d:displayname></d:prop></d:set>' +
          '</d:propertyupdate>',
      );
      assert.match(patch.body, /HTTP\/1\.1 200/);
    } finally {
      await server.stop();
    }
  });

  it("principal-other-user: each user's current-user-principal names the next user's principal", async () => {
    const { server, client } = await withServer({ faults: ['principal-other-user'] });
    try {
      assert.equal(hrefPath((await cup(client))!.prop.children[0]!.text), '/principals/user1/');
      const other = client.as('user1', 'pass1');
      assert.equal(hrefPath((await cup(other, '/calendars/user1/'))!.prop.children[0]!.text), '/principals/test/');
      // The principal itself is intact: its principal-URL is still its own.
      const p = await client.ms('PROPFIND', '/principals/user1/', propfindBody('<d:principal-URL/>'), { depth: '0' });
      assert.equal(
        hrefPath(findProp(p.responses[0]!, DAV('principal-URL'))!.prop.children[0]!.text),
        '/principals/user1/',
      );
    } finally {
      await server.stop();
    }
  });
});
