// `calspec cleanup`: finds a --keep run's sandboxes (name AND displayname marker) and run-prefixed
// objects in the home, its calendars and a --calendar; dry run by default, --older-than by the run
// id's timestamp, --run for one run, deletes only with --yes, reports what it could not remove
// (exit 1), and never touches a name without the prefix.
import assert from 'node:assert/strict';
import { startReferenceServer, type RunningServer } from '../../src/server/index.js';
import { cleanupCommand, CLEANUP_HELP } from '../../src/cli/cleanup.js';
import { parseDuration, runIdTime, sandboxRunId } from '../../src/dav/leftovers.js';
import { DavClient } from '../../src/dav/http.js';
import { Authenticator } from '../../src/dav/auth.js';
import { CalspecError } from '../../src/model/exit-codes.js';
import { captured, listing, probeRun } from './helpers.js';
import { startFaultProxy } from '../helpers/fault-proxy.js';
import { leftoverLines } from '../../src/report/console.js';
import type { RunResults } from '../../src/model/result.js';

const USER = { user: 'test', password: 'cleanup-pw-9', kind: 'basic' as const };

async function send(base: string, method: string, path: string, body = ''): Promise<number | undefined> {
  const client = new DavClient();
  const ex = await client.send({
    method,
    url: new URL(path, base).toString(),
    auth: new Authenticator(USER),
    body,
    headers: method === 'PUT' ? { 'content-type': 'text/calendar; charset=utf-8' } : {},
  });
  await client.close();
  return ex.response?.status;
}

const ics = (uid: string) =>
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:${uid}\r\n` +
  `DTSTAMP:20300101T000000Z\r\nDTSTART:20300101T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;

async function mkcalendar(base: string, path: string, displayname: string): Promise<void> {
  const client = new DavClient();
  const ex = await client.send({
    method: 'MKCALENDAR',
    url: new URL(path, base).toString(),
    auth: new Authenticator(USER),
    body:
      `<c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set>` +
      `<d:prop><d:displayname>${displayname}</d:displayname></d:prop></d:set></c:mkcalendar>`,
  });
  await client.close();
  assert.equal(ex.response?.status, 201, `MKCALENDAR ${path}`);
}

describe('reliability: calspec cleanup', function () {
  this.timeout(30_000);
  let server: RunningServer;
  let home: string;
  const cli = (...args: string[]) =>
    captured(() => cleanupCommand([server.url, '-u', USER.user, '--password', USER.password, ...args]));

  before(async () => {
    server = await startReferenceServer({
      port: 0,
      users: [{ name: USER.user, password: USER.password }],
      quiet: true,
    });
    home = new URL('/calendars/test/', server.url).toString();
  });
  after(() => server?.stop());

  it('parses run ids and durations', () => {
    assert.equal(runIdTime('20250102-030405-ab12')?.toISOString(), '2025-01-02T03:04:05.000Z');
    assert.equal(runIdTime('nope'), undefined);
    assert.equal(parseDuration('1h'), 3_600_000);
    assert.equal(parseDuration('90s'), 90_000);
    assert.equal(parseDuration('1 week'), undefined);
    assert.equal(
      sandboxRunId('calspec-20250102-030405-ab12-000', 'calspec sandbox 20250102-030405-ab12 rfc4791/x/y'),
      '20250102-030405-ab12',
    );
    assert.equal(
      sandboxRunId('calspec-20250102-030405-ab12-000', 'My calendar'),
      undefined,
      'name alone is not enough',
    );
    assert.equal(
      sandboxRunId('work', 'calspec sandbox 20250102-030405-ab12 x'),
      undefined,
      'marker alone is not enough',
    );
    assert.equal(
      sandboxRunId('calspec-20990101-000000-zzzz-000', 'calspec sandbox 20250102-030405-ab12 x'),
      undefined,
      'name and marker must agree',
    );
    assert.match(CLEANUP_HELP, /Usage: calspec cleanup/);
  });

  it("lists a --keep run's leftovers, deletes nothing without --yes, then deletes exactly them", async () => {
    const pristine = await listing(home, USER);
    // Look-alikes that must survive: calspec-ish name without the marker, the marker on another name.
    await mkcalendar(server.url, '/calendars/test/calspec-personal/', 'My calspec notes');
    await mkcalendar(server.url, '/calendars/test/work/', 'calspec sandbox 20200101-000000-abcd rfc4791/x/y');
    // A leftover of an old run (2020) to exercise --older-than.
    await mkcalendar(
      server.url,
      '/calendars/test/calspec-20200101-000000-old1-000/',
      'calspec sandbox 20200101-000000-old1 rfc4791/5.3.2/x',
    );
    const before = await listing(home, USER);

    const { results } = await probeRun(server.url, [USER], { keep: true });
    assert.equal(results.cleanup.leftover.length, 4, 'the --keep run left its 4 calendars');
    const kept = await listing(home, USER);
    assert.equal(kept.length, before.length + 4);

    const dry = await cli();
    assert.equal(dry.code, 0, dry.err);
    assert.match(dry.out, /test: 5 calspec sandbox collections under \/calendars\/test\//);
    assert.match(dry.out, /dry run: nothing deleted/);
    for (const leftover of results.cleanup.leftover) assert.ok(dry.out.includes(leftover), `lists ${leftover}`);
    assert.doesNotMatch(dry.out, /calspec-personal|\/work\//);
    assert.deepEqual(await listing(home, USER), kept, 'dry run deletes nothing');

    const old = await cli('--older-than', '1h', '--yes');
    assert.equal(old.code, 0, old.err);
    assert.match(old.out, /test: 1 calspec sandbox collection under .* \(4 newer than 1h kept\)/);
    assert.match(
      old.out,
      /calspec-20200101-000000-old1-000\/ {2}\(collection, run 20200101-000000-old1, started 2020-01-01T00:00:00\.000Z/,
    );
    assert.equal((await listing(home, USER)).length, kept.length - 1);

    const all = await cli('--yes');
    assert.equal(all.code, 0, all.err);
    assert.match(all.out, /deleted 4/);
    const after = await listing(home, USER);
    assert.deepEqual(after, [...pristine, '/calendars/test/calspec-personal/', '/calendars/test/work/'].sort());
    assert.ok(!all.out.includes(USER.password) && !all.err.includes(USER.password));
  });

  it('finds run-prefixed objects in the home, its calendars and a --calendar; --run picks one run', async () => {
    const run = '20200101-000000-obj1';
    const mine = [
      `/calendars/test/calspec-${run}-001-a.ics`,
      `/calendars/test/default/calspec-${run}-002-b.ics`,
      `/calendars/test/work2/calspec-${run}-003-d.ics`,
    ];
    const elsewhere = `/calendars/test/folder/cal/calspec-${run}-004-e.ics`;
    const others = [
      '/calendars/test/default/calspec-20200101-000000-obj2-001-c.ics',
      '/calendars/test/default/mine.ics',
      '/calendars/test/default/calspec-notes.ics',
    ];
    await mkcalendar(server.url, '/calendars/test/work2/', 'Work');
    assert.equal(await send(server.url, 'MKCOL', '/calendars/test/folder/'), 201);
    await mkcalendar(server.url, '/calendars/test/folder/cal/', 'Nested');
    for (const [i, path] of [...mine, elsewhere, ...others].entries())
      assert.ok((await send(server.url, 'PUT', path, ics(`u${i}`)))! < 300, `PUT ${path}`);

    const dry = await cli('--run', run);
    assert.equal(dry.code, 0, dry.err);
    assert.match(dry.out, /0 calspec sandbox collections and 3 run-prefixed objects/);
    for (const p of mine) assert.ok(dry.out.includes(`${p}  (object, run ${run}`), `lists ${p}`);
    for (const p of [elsewhere, ...others]) assert.ok(!dry.out.includes(p), `does not list ${p}`);

    const done = await cli(
      '--run',
      run,
      '--calendar',
      new URL('/calendars/test/folder/cal/', server.url).toString(),
      '--yes',
    );
    assert.equal(done.code, 0, done.err);
    assert.match(done.out, /4 run-prefixed objects/);
    assert.match(done.out, /deleted 4\n/);
    for (const p of [...mine, elsewhere]) assert.equal(await send(server.url, 'GET', p), 404, `${p} removed`);
    for (const p of others) assert.equal(await send(server.url, 'GET', p), 200, `${p} untouched`);

    // What cannot be removed is reported, with exit 1 (a DELETE refused by the server).
    const proxy = await startFaultProxy({
      upstream: server.url,
      rules: [{ method: 'DELETE', path: /obj2/, action: { kind: 'respond', status: 403 } }],
    });
    try {
      const refused = await captured(() =>
        cleanupCommand([proxy.url, '-u', USER.user, '--password', USER.password, '--yes']),
      );
      assert.equal(refused.code, 1, refused.err);
      assert.match(
        refused.err,
        /could not remove \/calendars\/test\/default\/calspec-20200101-000000-obj2-001-c\.ics: DELETE answered 403/,
      );
      assert.equal(await send(server.url, 'GET', others[1]!), 200);
    } finally {
      await proxy.close();
    }
    await assert.rejects(
      cleanupCommand([server.url, '-u', 'test', '--password', 'x', '--run', 'yesterday']),
      (e: unknown) => e instanceof CalspecError && e.exitCode === 2 && /--run/.test((e as Error).message),
    );
  });

  it('the console names what could not be removed, the cleanup command, and what no name can find', () => {
    const results = {
      runId: '20200101-000000-ab12',
      target: { url: 'http://dav.example/', user: 'test', home: '/calendars/test/' },
      cleanup: {
        created: [],
        removed: [],
        leftover: ['/calendars/test/calspec-20200101-000000-ab12-001/'],
        unaccounted: ['/calendars/test/calspec-20200101-000000-ab12-002-src/a.ics'],
      },
    } as unknown as RunResults;
    const text = leftoverLines(results)
      .map((l) => l.head + l.text)
      .join('\n');
    assert.match(text, /could not be removed: 1\n {2}\/calendars\/test\/calspec-20200101-000000-ab12-001\/\n/);
    assert.ok(text.includes('calspec cleanup http://dav.example/ --user test --run 20200101-000000-ab12 --yes'), text);
    assert.match(text, /never existed.*: 1\n {2}\S+-src\/a\.ics\n.*check by hand/);
    results.cleanup.leftover.push('/calendars/user1/inbox/x.ics');
    assert.ok(leftoverLines(results).some((l) => l.text.includes('--user test --user2 NAME --run')));
    assert.deepEqual(leftoverLines({ ...results, cleanup: { created: [], removed: [], leftover: [] } }), []);
  });

  it('usage errors exit 2; an unreachable target exits 3', async () => {
    await assert.rejects(cleanupCommand([]), (e: unknown) => e instanceof CalspecError && e.exitCode === 2);
    await assert.rejects(
      cleanupCommand([server.url, '-u', 'test', '--password', 'x', '--older-than', 'soon']),
      (e: unknown) => e instanceof CalspecError && e.exitCode === 2 && /--older-than/.test((e as Error).message),
    );
    await assert.rejects(
      cleanupCommand(['http://127.0.0.1:1/', '-u', 'test', '--password', 'x']),
      (e: unknown) => e instanceof CalspecError && e.exitCode === 3,
    );
    await assert.rejects(
      cleanupCommand([server.url, '-u', 'test', '--password', 'wrong']),
      (e: unknown) =>
        e instanceof CalspecError && e.exitCode === 3 && /authentication failed/.test((e as Error).message),
    );
  });
});
