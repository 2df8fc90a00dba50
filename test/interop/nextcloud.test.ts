// Nextcloud 34.0.1 fixture: the start script's refusal without the release tree, the source
// script's refusal without a mirror, and (when the tree is on this machine) a started server that
// calspec leaves exactly as it found it: the calendar homes and their trash bins list the same
// members after a run that created and deleted calendars and objects as before it.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Authenticator } from '../../src/dav/auth.js';
import { DavClient } from '../../src/dav/http.js';
import { registerCleanupHeaders } from '../../src/dav/cleanup-headers.js';
import { runConformance } from '../../src/engine/runner.js';
import { loadProfile } from '../../src/profile/load.js';
import { loadSuites } from '../../src/suite/load.js';
import { parseMultistatus } from '../../src/xml/multistatus.js';
import { nextcloudSourceDir, nextcloudSourceMissing } from '../helpers/nextcloud-source.js';
import { tempDir } from './helpers.js';

const SCRIPT = join('fixtures', 'servers', 'nextcloud.sh');
const PORT = 8386;
const PROPFIND = '<d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/></d:prop></d:propfind>';
const QUERY =
  '<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/></d:prop>' +
  '<c:filter><c:comp-filter name="VCALENDAR"/></c:filter></c:calendar-query>';
const USERS = [
  { user: 'test', password: 'test', kind: 'basic' as const },
  { user: 'user1', password: 'pass1', kind: 'basic' as const },
];

describe('interop: Nextcloud 34.0.1 fixture (nextcloud.sh, scripts/sources/nextcloud.sh)', function () {
  this.timeout(600_000);

  it('knows where the tree goes and says what is missing', () => {
    assert.equal(nextcloudSourceDir({ NEXTCLOUD_SRC: '/x/y' }), '/x/y');
    assert.equal(nextcloudSourceDir({ XDG_CACHE_HOME: '/c' }), '/c/calspec/sources/nextcloud-34.0.1/nextcloud');
    assert.match(
      nextcloudSourceMissing({ NEXTCLOUD_SRC: tempDir('nc-none') }) ?? '',
      /scripts\/sources\/nextcloud\.sh/,
    );
  });

  it('start without the release tree exits 3, prints no URL and says what is needed', () => {
    const env = { ...process.env, NEXTCLOUD_SRC: tempDir('nc-none'), CALSPEC_STATE: tempDir('nc-state') };
    const r = spawnSync('bash', [SCRIPT, 'start'], { env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 3, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /release archive of Nextcloud 34\.0\.1/);
    assert.match(r.stderr, /scripts\/sources\/nextcloud\.sh/);
  });

  it('the source script refuses a directory that is not the mirror', () => {
    const env = { ...process.env, XDG_CACHE_HOME: tempDir('nc-cache') };
    const r = spawnSync('bash', ['scripts/sources/nextcloud.sh', tempDir('nc-mirror')], { env, encoding: 'utf8' });
    assert.notEqual(r.status, 0);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /not a git mirror holding commit fc9e833a/);
  });

  describe('a started instance', () => {
    // A fixed state dir: its cache/ holds the prepared instance (installing takes a minute or more).
    const env = {
      ...process.env,
      CALSPEC_STATE: join(tmpdir(), 'calspec-nextcloud-test'),
      NEXTCLOUD_PORT: String(PORT),
    };
    let url = '';

    before(function () {
      const missing = nextcloudSourceMissing();
      if (missing) {
        process.stdout.write(`      skipped: ${missing}\n`);
        this.skip();
      }
      url = execFileSync('bash', [SCRIPT, 'start'], { env, encoding: 'utf8', timeout: 600_000 }).trim();
    });

    after(() => {
      if (url) execFileSync('bash', [SCRIPT, 'stop'], { env, timeout: 60_000, stdio: 'ignore' });
    });

    /**
     * What each user's home and trash bin list (PROPFIND Depth 1), and the trashed objects (a
     * calendar-query: Nextcloud answers a Depth 1 PROPFIND on trashbin/objects/ with 501).
     */
    async function listing(): Promise<string[]> {
      const client = new DavClient({});
      const out: string[] = [];
      const ask = async (method: string, path: string, auth: Authenticator, body: string) => {
        const ex = await client.send({
          method,
          url: new URL(path, url).toString(),
          headers: { depth: '1' },
          body,
          auth,
        });
        assert.equal(ex.response?.status, 207, `${method} ${path}`);
        out.push(...parseMultistatus(ex.response.body).responses.map((r) => r.href));
      };
      try {
        for (const u of USERS) {
          const auth = new Authenticator(u);
          for (const sub of ['', 'trashbin/']) await ask('PROPFIND', `calendars/${u.user}/${sub}`, auth, PROPFIND);
          await ask('REPORT', `calendars/${u.user}/trashbin/objects/`, auth, QUERY);
        }
      } finally {
        await client.close();
      }
      return out.sort();
    }

    it('answers DAV at the printed URL, with the calendar personal and the trash bin', async () => {
      assert.equal(url, `http://127.0.0.1:${PORT}/remote.php/dav/`);
      const hrefs = await listing();
      assert.ok(hrefs.includes('/remote.php/dav/calendars/test/personal/'), hrefs.join(' '));
      assert.ok(hrefs.includes('/remote.php/dav/calendars/user1/trashbin/'), hrefs.join(' '));
    });

    it('after a run that deletes calendars and objects, homes and trash bins list what they did before', async () => {
      const before = await listing();
      const profile = loadProfile('nextcloud');
      registerCleanupHeaders(url, profile);
      // Deletes of calendars and objects, and scheduling copies swept from the attendee's calendar.
      const results = await run(profile, /^rfc4918\/9\.6\/|^rfc6638\/3\.2\//);
      assert.ok(results.suites.flatMap((s) => s.scenarios).length >= 6);
      assert.deepEqual(results.cleanup.leftover, []);
      assert.deepEqual(await listing(), before);
    });

    it('without the profile header the deleted calendar stays in the home (what the header is for)', async () => {
      const before = await listing();
      const profile = { ...loadProfile('nextcloud') };
      delete profile.deleteHeaders;
      registerCleanupHeaders(url, profile);
      const results = await run(profile, /^rfc4918\/9\.6\/dav-delete-collection-removes-members$/);
      const after = await listing();
      assert.notDeepEqual(after, before);
      // Put the account back: the same DELETEs with the header.
      const client = new DavClient({});
      try {
        for (const href of after.filter((h) => !before.includes(h) && h.endsWith('/'))) {
          const auth = new Authenticator(USERS[0]!);
          const headers = { 'x-nc-caldav-no-trashbin': '1' };
          await client.send({ method: 'DELETE', url: new URL(href, url).toString(), headers, auth });
        }
      } finally {
        await client.close();
      }
      assert.ok(results.cleanup.leftover.length > 0, 'calspec could not verify the removal without the header');
      assert.deepEqual(await listing(), before);
    });

    function run(profile: ReturnType<typeof loadProfile>, filter: RegExp) {
      return runConformance({
        target: url,
        suites: loadSuites(['suites'], { fixturesDir: 'fixtures' }),
        profile,
        filter: (key) => filter.test(key),
        jobs: 2,
        users: USERS,
        allowAccountWrites: true,
      });
    }
  });
});
