// Purging calspec's own objects from a profile's trash collection (Nextcloud's trashbin/objects/):
// only entries whose calendar data carries the run's UID prefix are deleted, nothing happens
// without a registered trash collection, and the profile schema checks the field.
import assert from 'node:assert/strict';
import { MockAgent } from 'undici';
import { Authenticator } from '../../src/dav/auth.js';
import { clearCleanupHeaders, registerCleanupHeaders } from '../../src/dav/cleanup-headers.js';
import { DavClient } from '../../src/dav/http.js';
import { purgeTrashed } from '../../src/dav/trash-purge.js';
import { loadProfile } from '../../src/profile/load.js';

const ORIGIN = 'http://nc.test';
const HOME = '/remote.php/dav/calendars/user1/';
const TRASH = `${HOME}trashbin/objects/`;
const ics = (uid: string) => `BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
const entry = (n: number, uid: string) =>
  `<d:response><d:href>${TRASH}${n}.ics</d:href><d:propstat><d:prop><c:calendar-data>${ics(uid)}</c:calendar-data>` +
  `</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`;

function server(deleted: string[]): MockAgent {
  const mock = new MockAgent();
  mock.disableNetConnect();
  const pool = mock.get(ORIGIN);
  pool
    .intercept({ path: TRASH, method: 'REPORT' })
    .reply(
      207,
      `<d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">` +
        `${entry(7, 'calspec-20261202-170811-kmhj-006@calspec')}${entry(8, 'someone-elses-event')}</d:multistatus>`,
    );
  pool
    .intercept({ path: (p) => p.startsWith(TRASH), method: 'DELETE' })
    .reply((opts) => {
      deleted.push(opts.path);
      return { statusCode: 204, data: '' };
    })
    .persist();
  pool
    .intercept({ path: (p) => p.startsWith(TRASH), method: 'PROPFIND' })
    .reply(404, '')
    .persist();
  return mock;
}

describe('trash purge (profile trashCollection)', () => {
  const auth = new Authenticator({ user: 'user1', password: 'pass1', kind: 'basic' });
  afterEach(() => clearCleanupHeaders());

  it("deletes only the trashed objects whose UID carries the run's prefix", async () => {
    registerCleanupHeaders(`${ORIGIN}/remote.php/dav/`, { trashCollection: 'trashbin/objects/' });
    const deleted: string[] = [];
    const client = new DavClient({ dispatcher: server(deleted) });
    const removed = await purgeTrashed(
      client,
      `${ORIGIN}/remote.php/dav/`,
      { home: HOME, auth },
      'calspec-20261202-170811-kmhj-',
    );
    assert.deepEqual(deleted, [`${TRASH}7.ics`]);
    assert.deepEqual(removed, [`${TRASH}7.ics`]);
  });

  it('does nothing for a target whose profile names no trash collection', async () => {
    registerCleanupHeaders(`${ORIGIN}/`, {});
    const deleted: string[] = [];
    const client = new DavClient({ dispatcher: server(deleted) });
    assert.deepEqual(await purgeTrashed(client, `${ORIGIN}/remote.php/dav/`, { home: HOME, auth }, 'calspec-'), []);
    assert.deepEqual(deleted, []);
  });

  it('the profile schema takes a relative collection path and refuses an absolute one', () => {
    const base = 'name: x\ndisplayName: X\nverified: false\nauth: basic\nfeatures: {}\n';
    assert.equal(
      loadProfile('x.yaml', `${base}trashCollection: trashbin/objects/\n`).trashCollection,
      'trashbin/objects/',
    );
    assert.throws(() => loadProfile('x.yaml', `${base}trashCollection: /trashbin/objects/\n`));
    assert.equal(loadProfile('nextcloud').trashCollection, 'trashbin/objects/');
  });
});
