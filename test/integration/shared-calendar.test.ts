// Shared-calendar mode against the embedded reference server: every suite runs in one existing
// calendar that already holds the user's own events (overlapping what the suites query). Nothing
// errors or fails, every skip says why, and the calendar holds exactly the same objects (hrefs and
// ETags) afterwards. Entered by the profile (Google), by --calendar, and by MKCALENDAR failing.
import assert from 'node:assert/strict';
import { runConformance, type RunOptions } from '../../src/engine/runner.js';
import { startReferenceServer, type RunningServer } from '../../src/server/index.js';
import type { LayoutName } from '../../src/server/layout.js';
import { loadSuites } from '../../src/suite/load.js';
import { loadProfile } from '../../src/profile/load.js';
import { CalspecError, EXIT } from '../../src/model/exit-codes.js';
import type { RunResults, ScenarioResult } from '../../src/model/result.js';
import { seed, snapshot } from './shared-calendar-seed.js';
import { Sandbox } from '../../src/dav/sandbox.js';
import { DavClient } from '../../src/dav/http.js';
import { runDiscover } from '../../src/discover/index.js';

const USER = { name: 'test', password: 'shared-pw-1' };
const USER2 = { name: 'user1', password: 'shared-pw-2' };
const ALL = loadSuites(['suites'], { fixturesDir: 'fixtures' });
const all = (r: RunResults): ScenarioResult[] => r.suites.flatMap((s) => s.scenarios);
const bad = (r: RunResults) =>
  all(r)
    .filter((s) => ['failed', 'non-strict', 'errored', 'blocked'].includes(s.grade))
    .map((s) => `${s.key}: ${s.grade}: ${s.reason ?? s.steps.find((x) => x.error)?.error ?? ''}`);

async function withServer<T>(layout: LayoutName, faults: string[], fn: (s: RunningServer) => Promise<T>): Promise<T> {
  const server = await startReferenceServer({ port: 0, users: [USER, USER2], layout, faults, quiet: true });
  try {
    return await fn(server);
  } finally {
    await server.stop();
  }
}

function run(server: RunningServer, kind: 'basic' | 'bearer', extra: Partial<RunOptions>): Promise<RunResults> {
  return runConformance({
    target: server.url,
    suites: ALL,
    jobs: 8,
    users: [{ user: USER.name, password: USER.password, kind }],
    ...extra,
  });
}

/** Both users, scheduling included: what the server delivers elsewhere is not foreign. */
function runTwo(server: RunningServer, extra: Partial<RunOptions>): Promise<RunResults> {
  return runConformance({
    target: server.url,
    suites: ALL,
    jobs: 8,
    allowAccountWrites: true,
    users: [USER, USER2].map((u) => ({ user: u.name, password: u.password, kind: 'basic' as const })),
    ...extra,
  });
}

const header = (kind: 'basic' | 'bearer') =>
  kind === 'bearer'
    ? `Bearer ${USER.password}`
    : `Basic ${Buffer.from(`${USER.name}:${USER.password}`).toString('base64')}`;

describe('integration: shared-calendar mode', function () {
  this.timeout(300_000);

  it('Google layout and profile: 0 errored, 0 failed, every skip with its reason, user data untouched', async () => {
    await withServer('google', [], async (server) => {
      const calendar = new URL('/caldav/v2/test/events/', server.url).toString();
      await seed(calendar, { header: header('bearer') });
      const before = await snapshot(calendar, { header: header('bearer') });
      const results = await run(server, 'bearer', { profile: loadProfile('google') });
      assert.deepEqual(bad(results), []);
      assert.ok(results.notes?.some((n) => /^shared-calendar mode \(profile google/.test(n)));
      const skipped = all(results).filter((s) => s.grade === 'skipped');
      for (const s of skipped) assert.ok(s.reason && s.reason.length > 10, `${s.key} skipped without a reason`);
      const own = skipped.filter((s) => /needs a calendar of its own/.test(s.reason!));
      assert.ok(own.length > 40, `${own.length} own-calendar skips`);
      for (const s of own) assert.match(s.reason!, /; shared-calendar mode \(profile google: mkcalendar: false/);
      assert.ok(all(results).filter((s) => s.grade === 'passed').length > 300);
      assert.deepEqual(await snapshot(calendar, { header: header('bearer') }), before);
    });
  });

  it('--calendar on a plain server: the same grades as with a calendar per scenario, user data untouched', async () => {
    await withServer('plain', [], async (server) => {
      const calendar = new URL('/calendars/test/default/', server.url).toString();
      await seed(calendar, { header: header('basic') });
      const before = await snapshot(calendar, { header: header('basic') });
      const shared = await runTwo(server, { calendar });
      assert.deepEqual(bad(shared), []);
      assert.deepEqual(await snapshot(calendar, { header: header('basic') }), before);
      assert.ok(shared.notes?.includes('shared-calendar mode (--calendar /calendars/test/default/)'));
      const own = await runTwo(server, {});
      const grades = new Map(all(own).map((s) => [s.key, s.grade]));
      const differ = all(shared)
        .filter((s) => s.grade !== 'skipped' && grades.get(s.key) !== s.grade)
        .map((s) => `${s.key}: ${grades.get(s.key)} → ${s.grade}`);
      assert.deepEqual(differ, []);
      assert.deepEqual(await snapshot(calendar, { header: header('basic') }), before);
    });
  });

  it('MKCALENDAR creating nothing: the run falls back to a shared calendar; MKCALENDAR scenarios fail', async () => {
    const suites = ALL.filter((s) => ['5.3.1', '7.8', '9.1'].includes(s.section));
    await withServer('plain', ['mkcalendar-noop'], async (server) => {
      const results = await runConformance({
        target: server.url,
        suites,
        jobs: 4,
        users: [{ user: USER.name, password: USER.password, kind: 'basic' }],
      });
      assert.ok(
        results.notes?.some((n) => /shared-calendar mode \(MKCALENDAR answered 201 but .* not a calendar/.test(n)),
        String(results.notes),
      );
      const failed = all(results).filter((s) => s.grade === 'failed');
      assert.ok(failed.some((s) => s.key === 'rfc4791/5.3.1/mkcal-created'));
      assert.deepEqual(
        failed.filter((s) => !s.key.startsWith('rfc4791/5.3.1/')).map((s) => s.key),
        [],
      );
      assert.equal(all(results).filter((s) => s.grade === 'errored').length, 0);
      assert.ok(all(results).filter((s) => s.key.startsWith('rfc4791/7.8/') && s.grade === 'passed').length > 5);
    });
  });

  it('MKCALENDAR refused, no profile: falls back to the calendar in the home; MKCALENDAR scenarios skip', async () => {
    const suites = ALL.filter((s) => ['5.3.1', '7.8', '9.1'].includes(s.section));
    await withServer('google', [], async (server) => {
      const results = await runConformance({
        target: server.url,
        suites,
        jobs: 4,
        users: [{ user: USER.name, password: USER.password, kind: 'bearer' }],
      });
      assert.deepEqual(bad(results), []);
      assert.ok(
        results.notes?.includes(
          'shared-calendar mode (MKCALENDAR refused with 403; working in /caldav/v2/test/events/)',
        ),
        String(results.notes),
      );
      const mkcal = all(results).find((s) => s.key === 'rfc4791/5.3.1/mkcal-created')!;
      assert.equal(mkcal.grade, 'skipped');
      assert.match(mkcal.reason!, /target lacks mkcalendar: MKCALENDAR refused with 403/);
      assert.ok(all(results).filter((s) => s.key.startsWith('rfc4791/7.8/') && s.grade === 'passed').length > 5);
    });
  });

  it('discover --calendar probes in the given calendar and leaves its objects as they were', async () => {
    const google = loadProfile('google');
    await withServer('google', [], async (server) => {
      const calendar = new URL('/caldav/v2/test/events/', server.url).toString();
      await seed(calendar, { header: header('bearer') });
      const before = await snapshot(calendar, { header: header('bearer') });
      const report = await runDiscover({
        target: server.url,
        credentials: { user: USER.name, password: USER.password, kind: 'bearer' },
        calendar: '/caldav/v2/test/events/',
        // --calendar wins over the profile's calendar (which does not exist here).
        profile: { ...google, layout: { ...google.layout, calendar: '/caldav/v2/{user}/nope/' } },
      });
      assert.ok(
        report.notes.some((n) => n.includes('run-prefixed, into /caldav/v2/test/events/')),
        String(report.notes),
      );
      assert.ok(report.cleanup.removed.some((p) => p.startsWith('/caldav/v2/test/events/calspec-')));
      assert.deepEqual(await snapshot(calendar, { header: header('bearer') }), before);
    });
  });

  it('the fence: in the shared calendar only names under this run prefix are writable', async () => {
    const client = new DavClient({});
    try {
      const sandbox = new Sandbox(
        client,
        'http://dav.test/',
        ['/cal/u/calspec-20260101-000000-abcd'],
        '/cal/u/events/',
      );
      const run = '/cal/u/events/calspec-20260101-000000-abcd-';
      assert.equal(sandbox.allows('PUT', `${run}00x-a.ics`), true);
      assert.equal(sandbox.allows('DELETE', `http://dav.test${run}00x-a.ics`), true);
      for (const path of [
        '/cal/u/events/',
        '/cal/u/events/user-lunch.ics',
        '/cal/u/events/calspec-20200101-000000-zzzz-000-lunch.ics', // another run's
        '/cal/u/events/x-calspec-20260101-000000-abcd-a.ics',
        '/cal/u/other/calspec-20260101-000000-abcd-00x-a.ics',
      ]) {
        for (const method of ['PUT', 'DELETE', 'PROPPATCH', 'MOVE'])
          assert.equal(sandbox.allows(method, path), false, `${method} ${path}`);
      }
      assert.equal(sandbox.allows('GET', '/cal/u/events/user-lunch.ics'), true);
    } finally {
      await client.close();
    }
  });

  it('--calendar that is not a calendar is bad usage, with a clear message', async () => {
    await withServer('plain', [], async (server) => {
      await assert.rejects(
        run(server, 'basic', { calendar: new URL('/calendars/test/', server.url).toString() }),
        (e: unknown) => e instanceof CalspecError && e.exitCode === EXIT.usage && /is not a calendar/.test(e.message),
      );
      await assert.rejects(
        run(server, 'basic', { calendar: 'https://elsewhere.example/cal/' }),
        (e: unknown) => e instanceof CalspecError && /is not on the target/.test(e.message),
      );
    });
  });
});
