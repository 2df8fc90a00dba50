// Profile-requested headers on calspec's clean-up DELETEs (Nextcloud's trash-bin bypass): sent on
// the clean-up DELETE of a registered target, on nothing else, and invalid headers are refused.
import assert from 'node:assert/strict';
import { MockAgent } from 'undici';
import { DavClient } from '../../src/dav/http.js';
import {
  cleanupHeadersFor,
  clearCleanupHeaders,
  registerCleanupHeaders,
  validHeaders,
} from '../../src/dav/cleanup-headers.js';
import { removeVerified } from '../../src/dav/presence.js';
import { loadProfile } from '../../src/profile/load.js';

const ORIGIN = 'http://nc.test';
const NO_TRASH = { 'X-NC-CalDAV-No-Trashbin': '1' };

/** A server that records the DELETE's headers and then reports the resource gone. */
function server(seen: Record<string, string>[]): MockAgent {
  const mock = new MockAgent();
  mock.disableNetConnect();
  const pool = mock.get(ORIGIN);
  pool.intercept({ path: '/remote.php/dav/calendars/test/calspec-x/', method: 'DELETE' }).reply((opts) => {
    seen.push({ ...(opts.headers as Record<string, string>) });
    return { statusCode: 204, data: '' };
  });
  pool.intercept({ path: '/remote.php/dav/calendars/test/calspec-x/', method: 'PROPFIND' }).reply(404, '');
  return mock;
}

describe('clean-up DELETE headers from the profile', () => {
  afterEach(() => clearCleanupHeaders());

  it('removeVerified sends the registered headers on its DELETE', async () => {
    registerCleanupHeaders(`${ORIGIN}/remote.php/dav/`, { deleteHeaders: NO_TRASH });
    const seen: Record<string, string>[] = [];
    const client = new DavClient({ dispatcher: server(seen) });
    const r = await removeVerified(client, `${ORIGIN}/remote.php/dav/calendars/test/calspec-x/`, undefined);
    assert.equal(r.gone, true);
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!['x-nc-caldav-no-trashbin'], '1');
  });

  it('sends nothing extra for a target without registration (or after a profile without headers)', async () => {
    registerCleanupHeaders('http://other.test/', { deleteHeaders: NO_TRASH });
    registerCleanupHeaders(`${ORIGIN}/`, { deleteHeaders: NO_TRASH });
    registerCleanupHeaders(`${ORIGIN}/`, {});
    const seen: Record<string, string>[] = [];
    const client = new DavClient({ dispatcher: server(seen) });
    await removeVerified(client, `${ORIGIN}/remote.php/dav/calendars/test/calspec-x/`, undefined);
    assert.equal(seen[0]!['x-nc-caldav-no-trashbin'], undefined);
    assert.deepEqual(cleanupHeadersFor('http://other.test/a/'), { 'x-nc-caldav-no-trashbin': '1' });
  });

  it('is never added to a scenario request: the DAV client itself sends only what it is given', async () => {
    registerCleanupHeaders(`${ORIGIN}/`, { deleteHeaders: NO_TRASH });
    const seen: Record<string, string>[] = [];
    const client = new DavClient({ dispatcher: server(seen) });
    await client.send({ method: 'DELETE', url: `${ORIGIN}/remote.php/dav/calendars/test/calspec-x/` });
    assert.equal(seen[0]!['x-nc-caldav-no-trashbin'], undefined);
  });

  it('refuses header names that are not tokens, values with line breaks, and calspec-owned headers', () => {
    assert.equal(validHeaders(NO_TRASH), undefined);
    assert.match(validHeaders({ 'X Bad': '1' }) ?? '', /invalid header name/);
    assert.match(validHeaders({ 'X-A': '1\r\nX-B: 2' }) ?? '', /invalid value/);
    assert.match(validHeaders({ Authorization: 'Basic x' }) ?? '', /calspec's to set/);
    assert.throws(() => registerCleanupHeaders(ORIGIN, { deleteHeaders: { 'a:b': '1' } }), /deleteHeaders/);
  });

  it('the profile schema accepts deleteHeaders and rejects a broken one', () => {
    const base = 'name: x\ndisplayName: X\nverified: false\nauth: basic\nfeatures: {}\n';
    const ok = loadProfile('x.yaml', `${base}deleteHeaders:\n  X-NC-CalDAV-No-Trashbin: "1"\n`);
    assert.deepEqual(ok.deleteHeaders, NO_TRASH);
    assert.throws(() => loadProfile('x.yaml', `${base}deleteHeaders:\n  "X Bad": "1"\n`));
    assert.throws(() => loadProfile('x.yaml', `${base}deleteHeaders:\n  X-A: "a\\nb"\n`));
    assert.equal(loadProfile('nextcloud').deleteHeaders?.['X-NC-CalDAV-No-Trashbin'], '1');
  });
});
