// LOCK / UNLOCK and the If header (RFC 4918 §6-7, §9.10-9.11, §10.4).
import assert from 'node:assert/strict';
import { findProp } from '../../src/xml/index.js';
import type { RunningServer } from '../../src/server/index.js';
import { Client, lockinfo, propfindBody, vevent, withServer } from './helpers.js';

const DIR = '/calendars/test/default/';
const ev = (uid: string, summary = 'x') => vevent(uid, ['DTSTART:20260105T100000Z', `SUMMARY:${summary}`]);

describe('reference server: locking', () => {
  let server: RunningServer;
  let client: Client;
  beforeEach(async () => ({ server, client } = await withServer()));
  afterEach(() => server.stop());

  async function lock(path: string, scope: 'exclusive' | 'shared' = 'exclusive', c = client) {
    const res = await c.send('LOCK', path, lockinfo(scope), { timeout: 'Second-60' });
    return { res, token: /^<(.+)>$/.exec(res.headers['lock-token'] ?? '')?.[1] ?? '' };
  }

  it('exclusive lock: Lock-Token, lockdiscovery, 423 without the token, writes with it, UNLOCK', async () => {
    await client.put(DIR + 'a.ics', ev('a'));
    const { res, token } = await lock(DIR + 'a.ics');
    assert.equal(res.status, 200);
    assert.match(token, /^urn:uuid:/);
    assert.match(res.body, /<[^>]*timeout>Second-60</);
    const put = await client.put(DIR + 'a.ics', ev('a', 'y'));
    assert.equal(put.status, 423);
    assert.match(put.body, /lock-token-submitted/);
    assert.equal((await client.send('DELETE', DIR + 'a.ics')).status, 423);
    assert.equal((await client.put(DIR + 'a.ics', ev('a', 'y'), { if: `(<${token}>)` })).status, 204);
    const ms = await client.ms('PROPFIND', DIR + 'a.ics', propfindBody('<d:lockdiscovery/><d:supportedlock/>'), {
      depth: '0',
    });
    assert.ok(
      findProp(ms.responses[0]!, '{DAV:}lockdiscovery')!.prop.children.some((c) => c.name === '{DAV:}activelock'),
    );
    assert.equal(findProp(ms.responses[0]!, '{DAV:}supportedlock')!.prop.children.length, 2);
    assert.equal((await client.send('UNLOCK', DIR + 'a.ics', undefined, { 'lock-token': `<${token}>` })).status, 204);
    assert.equal((await client.put(DIR + 'a.ics', ev('a', 'z'))).status, 204);
  });

  it('conflicts: second exclusive 423, shared locks coexist; other user 423 even with the token', async () => {
    await client.put(DIR + 'a.ics', ev('a'));
    const first = await lock(DIR + 'a.ics', 'shared');
    const second = await lock(DIR + 'a.ics', 'shared');
    assert.equal(second.res.status, 200);
    assert.equal((await lock(DIR + 'a.ics', 'exclusive')).res.status, 423);
    // A depth-infinity exclusive lock conflicts with the shared lock below it.
    await client.send('UNLOCK', DIR + 'a.ics', undefined, { 'lock-token': `<${first.token}>` });
    assert.equal((await lock(DIR)).res.status, 423);
    await client.send('UNLOCK', DIR + 'a.ics', undefined, { 'lock-token': `<${second.token}>` });
    // ... and, once granted, protects the calendar's membership.
    const cal = await lock(DIR);
    assert.equal(cal.res.status, 200);
    assert.equal((await client.put(DIR + 'b.ics', ev('b'))).status, 423);
    assert.equal((await client.put(DIR + 'b.ics', ev('b'), { if: `<${DIR}> (<${cal.token}>)` })).status, 201);
  });

  it('refresh, unmapped URLs, UNLOCK errors', async () => {
    await client.put(DIR + 'a.ics', ev('a'));
    const { token } = await lock(DIR + 'a.ics');
    const refreshed = await client.send('LOCK', DIR + 'a.ics', undefined, {
      if: `(<${token}>)`,
      timeout: 'Second-120',
    });
    assert.equal(refreshed.status, 200);
    assert.match(refreshed.body, /Second-1[12]\d/);
    assert.equal(
      (await client.send('UNLOCK', DIR + 'a.ics', undefined, { 'lock-token': '<urn:uuid:nope>' })).status,
      409,
    );
    assert.equal((await client.send('UNLOCK', DIR + 'a.ics', undefined, { 'lock-token': `<${token}>` })).status, 204);
    assert.equal((await lock(DIR + 'missing.ics')).res.status, 409, 'no empty resources in a calendar');
    await client.send('MKCOL', '/calendars/test/files/');
    const created = await lock('/calendars/test/files/note.txt');
    assert.equal(created.res.status, 201);
    assert.equal((await client.send('GET', '/calendars/test/files/note.txt')).status, 200);
  });

  it('If header: etags, unknown tokens, Not, tagged lists, sync-tokens', async () => {
    const etag = (await client.put(DIR + 'a.ics', ev('a'))).headers.etag!;
    assert.equal((await client.put(DIR + 'a.ics', ev('a'), { if: '(["stale"])' })).status, 412);
    assert.equal((await client.put(DIR + 'a.ics', ev('a'), { if: `([${etag}])` })).status, 204);
    assert.equal((await client.send('DELETE', DIR + 'a.ics', undefined, { if: '(<urn:uuid:x>)' })).status, 412);
    assert.equal((await client.put(DIR + 'b.ics', ev('b'), { if: `<${DIR}a.ics> (["stale"])` })).status, 412);
    assert.equal((await client.put(DIR + 'b.ics', ev('b'), { if: '(Not <urn:uuid:x>)' })).status, 201);
    assert.equal((await client.put(DIR + 'b.ics', ev('b'), { if: 'garbage' })).status, 400);
    const ms = await client.ms('PROPFIND', DIR, propfindBody('<d:sync-token/>'), { depth: '0' });
    const token = findProp(ms.responses[0]!, '{DAV:}sync-token')!.prop.text;
    assert.equal((await client.put(DIR + 'c.ics', ev('c'), { if: `<${DIR}> (<${token}>)` })).status, 201);
    assert.equal((await client.put(DIR + 'd.ics', ev('d'), { if: `<${DIR}> (<${token}>)` })).status, 412);
  });
});
