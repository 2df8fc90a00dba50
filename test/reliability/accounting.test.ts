// Object-level accounting (issue #13): on a server whose calendar creation is a no-op (objects then
// land in the home) and whose PUT answers 400 but stores, `calspec run` and `calspec discover`
// leave the account exactly as they found it, or list in `leftover` exactly what remains, which
// `calspec cleanup` then removes. Every write is in the ledger before it is sent.
import assert from 'node:assert/strict';
import { startReferenceServer, type RunningServer } from '../../src/server/index.js';
import { runConformance } from '../../src/engine/runner.js';
import { runDiscover } from '../../src/discover/index.js';
import { loadSuiteFile, loadSuites } from '../../src/suite/load.js';
import { cleanupCommand } from '../../src/cli/cleanup.js';
import { startFaultProxy } from '../helpers/fault-proxy.js';
import { captured, listing } from './helpers.js';
import { DavClient } from '../../src/dav/http.js';
import { Authenticator } from '../../src/dav/auth.js';
import { ConsoleReporter } from '../../src/report/console.js';

const USER = { user: 'test', password: 'acct-pw-4', kind: 'basic' as const };
const FAULTS = ['mkcalendar-noop', 'put-stores-on-400'];

// Two objects under ${cal}: on this server every PUT answers 400 and stores anyway.
const ICS = '{ Content-Type: text/calendar }';
const event = (uid: string) =>
  JSON.stringify(
    'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n' +
      `UID:\${uid:${uid}}\r\nDTSTAMP:20300101T000000Z\r\nDTSTART:20300101T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`,
  );
const STRAY = loadSuiteFile(
  'stray.yaml',
  { fixturesDir: 'fixtures' },
  `id: stray
title: Stray writes
rfc: 4791
section: "5.3.2"
scenarios:
  - id: stray-put
    title: stray
    level: MUST
    requirement: (test) objects written into a calendar that was never created.
    calendar: false
    steps:
      - request: { method: PUT, path: "\${cal}\${obj}a.ics", headers: ${ICS},
          body: ${event('x')} }
      - request: { method: PUT, path: "\${cal}\${obj}stuck.ics", headers: ${ICS},
          body: ${event('y')} }
`,
);

/** Every href in the home and in each collection directly under it. */
async function walk(base: string): Promise<string[]> {
  const home = new URL('/calendars/test/', base).toString();
  const top = await listing(home, USER);
  const inner = await Promise.all(
    top
      .filter((h) => h.endsWith('/') && h !== '/calendars/test/')
      .map((h) => listing(new URL(h, base).toString(), USER)),
  );
  return [...new Set([...top, ...inner.flat()])].sort();
}

async function del(base: string, path: string): Promise<void> {
  const client = new DavClient();
  await client.send({ method: 'DELETE', url: new URL(path, base).toString(), auth: new Authenticator(USER) });
  await client.close();
}

describe('reliability: object-level accounting under mkcalendar-noop and put-stores-on-400', function () {
  this.timeout(60_000);
  let server: RunningServer;
  before(async () => {
    server = await startReferenceServer({
      port: 0,
      users: [{ name: USER.user, password: USER.password }],
      faults: FAULTS,
      quiet: true,
    });
  });
  after(() => server?.stop());

  it('calspec run leaves the account as it was, or reports what it cannot account for', async () => {
    const before = await walk(server.url);
    const suites = [...loadSuites(['suites/rfc4791', 'suites/rfc4918'], { fixturesDir: 'fixtures' }), STRAY];
    const results = await runConformance({ target: server.url, users: [USER], suites, jobs: 4, timeoutMs: 5000 });
    const { created, removed, leftover, unaccounted = [] } = results.cleanup;
    assert.deepEqual(leftover, []);
    // Every PUT answered 400 and stored anyway: each was recorded before sending, and removed.
    const stuck = created.filter((p) => p.endsWith('-stuck.ics'));
    assert.equal(stuck.length, 1, 'the stray PUT is recorded');
    assert.ok(created.length > 100, `${created.length} recorded`);
    for (const p of created) assert.ok(removed.includes(p), `${p} verified removed`);
    // Objects with plain names (${coll:x}a.ics) written into a no-op MKCALENDAR's collection land in
    // the home under that plain name: nothing may touch them, but each is reported.
    const base = (p: string) => p.slice(p.lastIndexOf('/') + 1);
    const extra = (await walk(server.url)).filter((h) => !before.includes(h));
    for (const h of extra) assert.ok(unaccounted.map(base).includes(base(h)), `${h} remains unreported`);
    for (const h of extra) await del(server.url, h);
    assert.deepEqual(await walk(server.url), before);
  });

  it('calspec discover leaves the account as it was', async () => {
    const before = await walk(server.url);
    const report = await runDiscover({ target: server.url, credentials: USER, timeoutMs: 5000 });
    assert.deepEqual(report.cleanup.leftover, []);
    assert.deepEqual(await walk(server.url), before);
    const objects = report.cleanup.removed.filter((p) => p.startsWith('/calendars/test/default/calspec-'));
    assert.ok(objects.length > 0, `objects written into default/ (400 answers) removed: ${report.cleanup.removed}`);
  });

  it('what cannot be removed is listed in leftover exactly, and calspec cleanup removes it', async () => {
    const before = await walk(server.url);
    const proxy = await startFaultProxy({
      upstream: server.url,
      rules: [{ method: 'DELETE', path: /stuck/, action: { kind: 'respond', status: 403 } }],
    });
    let leftover: string[];
    try {
      const results = await runConformance({ target: proxy.url, users: [USER], suites: [STRAY], timeoutMs: 5000 });
      leftover = results.cleanup.leftover;
    } finally {
      await proxy.close();
    }
    const remaining = (await walk(server.url)).filter((h) => !before.includes(h));
    assert.equal(remaining.length, 1);
    assert.deepEqual(leftover, remaining);
    const out = await captured(() =>
      cleanupCommand([server.url, '-u', USER.user, '--password', USER.password, '--yes']),
    );
    assert.equal(out.code, 0, out.err);
    assert.ok(out.out.includes(remaining[0]!), out.out);
    assert.deepEqual(await walk(server.url), before);
  });
});

// Implicit scheduling (RFC 6638 §3.2) writes outside the sandbox: an iTIP message in the attendee's
// schedule inbox and a copy in the attendee's calendar, under names the server picks. They carry the
// run's UIDs, so the run finds them by UID and removes them; what it cannot remove is in leftover,
// and `calspec cleanup` finds it by UID too, never touching an object whose UID is not a run's.
// A collection a scenario MOVEd away is absent at cleanup, like one whose creation was a no-op, but
// what was written into it went along: nothing may be reported as unaccounted then.
const MOVED = loadSuiteFile(
  'moved.yaml',
  { fixturesDir: 'fixtures' },
  `id: moved
title: Moved
rfc: 4918
section: "9.9"
scenarios:
  - id: moved-coll
    title: moved
    level: MUST
    requirement: (test) a collection moved away with a plainly named member.
    calendar: false
    steps:
      - request: { method: MKCALENDAR, path: "\${coll:src}" }
      - request: { method: PUT, path: "\${coll:src}a.ics", headers: ${ICS}, body: ${event('m')} }
      - request: { method: MOVE, path: "\${coll:src}", headers: { Destination: "\${coll:dst}" } }
`,
);

describe('reliability: scheduling copies in the other user’s calendar and inbox', function () {
  this.timeout(60_000);
  const U2 = { user: 'user1', password: 'acct-pw-5', kind: 'basic' as const };
  const SCHED = loadSuites(['suites/rfc6638/3.2-implicit-scheduling.yaml'], { fixturesDir: 'fixtures' });
  const only = (key: string) => /\/(sched-invite-delivered|sched-update-delivered)$/.test(key);
  let server: RunningServer;
  before(async () => {
    const users = [USER, U2].map((u) => ({ name: u.user, password: u.password }));
    server = await startReferenceServer({ port: 0, users, quiet: true });
  });
  after(() => server?.stop());
  const attendee = async () =>
    (
      await Promise.all(
        ['default/', 'inbox/'].map((c) => listing(new URL(`/calendars/user1/${c}`, server.url).toString(), U2)),
      )
    ).flat();

  it('are removed before the run ends and reported in removed', async () => {
    const before = await attendee();
    const results = await runConformance({
      ...{ target: server.url, users: [USER, U2], suites: SCHED, filter: only, allowAccountWrites: true },
      timeoutMs: 5000,
    });
    const ran = results.suites.flatMap((s) => s.scenarios).filter((s) => ['passed', 'informational'].includes(s.grade));
    const grades = results.suites.flatMap((s) => s.scenarios).map((s) => `${s.id}: ${s.grade} ${s.reason ?? ''}`);
    assert.equal(ran.length, 2, `both scheduling scenarios ran: ${grades.join('; ')}`);
    const { created, removed, leftover } = results.cleanup;
    assert.deepEqual(leftover, []);
    const copies = removed.filter((p) => p.startsWith('/calendars/user1/'));
    assert.ok(
      copies.some((p) => p.startsWith('/calendars/user1/inbox/')),
      `inbox copies removed: ${copies}`,
    );
    assert.ok(
      copies.some((p) => p.startsWith('/calendars/user1/default/')),
      `calendar copies removed: ${copies}`,
    );
    for (const p of copies) assert.ok(created.includes(p), `${p} accounted as created`);
    assert.deepEqual(await attendee(), before);
  });

  it('(clean server) a collection MOVEd away is not taken for one that never existed', async () => {
    const home = () => listing(new URL('/calendars/test/', server.url).toString(), USER);
    const before = await home();
    const results = await runConformance({ target: server.url, users: [USER], suites: [MOVED], timeoutMs: 5000 });
    const { created, removed, leftover, unaccounted = [] } = results.cleanup;
    assert.ok(created.some((p) => p.endsWith('-dst/')) && created.some((p) => p.endsWith('-src/a.ics')), `${created}`);
    assert.deepEqual({ leftover, unaccounted }, { leftover: [], unaccounted: [] });
    for (const p of created) assert.ok(removed.includes(p), `${p} verified removed`);
    assert.deepEqual(await home(), before);
  });

  it('what cannot be removed is in leftover, and calspec cleanup finds it by UID', async () => {
    // Not the run's: a UID without a run id, and one without the prefix at all.
    const client = new DavClient();
    const theirs = ['calspec-not-a-run@x', 'users-own@x'];
    for (const [i, uid] of theirs.entries())
      await client.send({
        ...{ method: 'PUT', url: new URL(`/calendars/user1/default/own-${i}.ics`, server.url).toString() },
        ...{ headers: { 'content-type': 'text/calendar' }, auth: new Authenticator(U2) },
        body: JSON.parse(event('x').replace('${uid:x}', uid)) as string,
      });
    await client.close();
    const before = await attendee();
    const proxy = await startFaultProxy({
      upstream: server.url,
      rules: [{ method: 'DELETE', path: /\/user1\/inbox\/./, action: { kind: 'respond', status: 403 } }],
    });
    let leftover: string[];
    let printed = '';
    try {
      const opts = { target: proxy.url, users: [USER, U2], suites: SCHED, filter: only, allowAccountWrites: true };
      const results = await runConformance({ ...opts, timeoutMs: 5000 });
      leftover = results.cleanup.leftover;
      new ConsoleReporter({ color: false, write: (t) => (printed += t) }).onRunEnd(results);
      // The console says what stayed and how to remove it (a second user's account: --user2), never a password.
      const command = `calspec cleanup ${results.target.url} --user test --user2 NAME --run ${results.runId} --yes`;
      assert.ok(printed.includes(`could not be removed: ${leftover.length}`) && printed.includes(command), printed);
      for (const p of leftover) assert.ok(printed.includes(`  ${p}\n`), printed);
      assert.ok(!printed.includes(U2.password) && !printed.includes(USER.password));
    } finally {
      await proxy.close();
    }
    const remaining = (await attendee()).filter((h) => !before.includes(h));
    assert.ok(remaining.length >= 2 && remaining.every((h) => h.startsWith('/calendars/user1/inbox/')), `${remaining}`);
    assert.deepEqual([...leftover].sort(), remaining);
    const args = [server.url, '-u', USER.user, '--password', USER.password, '--user2', U2.user];
    const out = await captured(() => cleanupCommand([...args, '--password2', U2.password, '--yes']));
    assert.equal(out.code, 0, out.err);
    for (const h of remaining) assert.ok(out.out.includes(h), out.out);
    assert.deepEqual(await attendee(), before, 'only the run’s copies removed; the user’s objects stay');
  });
});
