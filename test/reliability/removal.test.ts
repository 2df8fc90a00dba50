// Verified removal (src/dav/presence.ts) on answers real servers give: Cyrus answers a PROPFIND on
// a missing resource with 207 and a response-level 404, which is absence, not presence; and what a
// second user tried to create in the first user's home may be invisible to that second user (Cyrus
// answers 301), so the home's holder looks instead — else a run reports a leftover that is not there.
import assert from 'node:assert/strict';
import { startReferenceServer, type RunningServer } from '../../src/server/index.js';
import { runConformance } from '../../src/engine/runner.js';
import { loadSuiteFile } from '../../src/suite/load.js';
import { presence, removeVerified } from '../../src/dav/presence.js';
import { DavClient } from '../../src/dav/http.js';
import { Authenticator } from '../../src/dav/auth.js';
import { startFaultProxy } from '../helpers/fault-proxy.js';
import { listing } from './helpers.js';

const USER = { user: 'test', password: 'rm-pw-1', kind: 'basic' as const };
const U2 = { user: 'user1', password: 'rm-pw-2', kind: 'basic' as const };

const missing = (href: string) =>
  `<?xml version="1.0" encoding="utf-8"?><d:multistatus xmlns:d="DAV:"><d:response><d:href>${href}</d:href>` +
  `<d:status>HTTP/1.1 404 Not Found</d:status></d:response></d:multistatus>`;

const INTRUDER = loadSuiteFile(
  'intruder.yaml',
  { fixturesDir: 'fixtures' },
  `id: intruder
title: Intruder
rfc: 4791
section: "5.3.1"
scenarios:
  - id: intruder
    title: intruder
    level: MUST
    requirement: (test) the second user tries to create a calendar in the first user's home.
    users: 2
    calendar: false
    steps:
      - request: { method: MKCALENDAR, path: "\${coll:intruder}", as: 2 }
`,
);

describe('reliability: verified removal on real servers’ answers', function () {
  this.timeout(30_000);
  let server: RunningServer;
  before(async () => {
    const users = [USER, U2].map((u) => ({ name: u.user, password: u.password }));
    server = await startReferenceServer({ port: 0, users, quiet: true });
  });
  after(() => server?.stop());

  it('a 207 whose response is 404 means gone; one with properties means present', async () => {
    const path = '/calendars/test/default/calspec-gone.ics';
    const proxy = await startFaultProxy({
      upstream: server.url,
      rules: [
        { method: 'PROPFIND', path: /calspec-gone/, action: { kind: 'respond', status: 207, body: missing(path) } },
      ],
    });
    const client = new DavClient();
    try {
      const auth = new Authenticator(USER);
      assert.equal((await presence(client, new URL(path, proxy.url).toString(), auth)).state, 'gone');
      const home = new URL('/calendars/test/default/', proxy.url).toString();
      assert.equal((await presence(client, home, auth)).state, 'present');
      const r = await removeVerified(client, new URL(path, proxy.url).toString(), auth, { checkFirst: true });
      assert.deepEqual(r, { gone: true, deleted: false });
    } finally {
      await client.close();
      await proxy.close();
    }
  });

  it('what another user tried to create in the home is looked up by the home’s holder', async () => {
    const before = await listing(new URL('/calendars/test/', server.url).toString(), USER);
    // The intruder's own look answers a redirect (as Cyrus does); the holder's look goes through.
    const proxy = await startFaultProxy({
      upstream: server.url,
      rules: [{ method: 'PROPFIND', path: /-intruder\/$/, nth: 1, times: 1, action: { kind: 'respond', status: 301 } }],
    });
    try {
      const results = await runConformance({
        target: proxy.url,
        users: [USER, U2],
        suites: [INTRUDER],
        timeoutMs: 5000,
      });
      const { created, removed, leftover } = results.cleanup;
      assert.ok(
        created.some((p) => p.endsWith('-intruder/')),
        `${created}`,
      );
      assert.deepEqual(leftover, []);
      assert.deepEqual(removed, created);
      assert.ok(proxy.log.filter((l) => l.method === 'PROPFIND' && /-intruder\/$/.test(l.path)).length >= 2);
    } finally {
      await proxy.close();
    }
    assert.deepEqual(await listing(new URL('/calendars/test/', server.url).toString(), USER), before);
  });
});
