// The blocked grade in real runs: the fault proxy in front of the reference server breaks one setup
// operation at a time. The scenario is blocked (not failed, not errored), says why, the run's exit
// code ignores it, its calendar is still removed, and baselines neither apply to it nor learn it.
import assert from 'node:assert/strict';
import { runConformance } from '../../src/engine/runner.js';
import { loadSuiteFile } from '../../src/suite/load.js';
import { startReferenceServer, type RunningServer } from '../../src/server/index.js';
import { updateBaseline } from '../../src/profile/baseline-write.js';
import type { RunResults } from '../../src/model/result.js';
import { startFaultProxy, type FaultProxy, type FaultRule } from '../helpers/fault-proxy.js';

const SUITE = `id: blocked-t
title: Blocked test
rfc: 4791
section: "7.8"
scenarios:
  - id: bk-setup
    title: a query over an event stored in setup
    level: MUST
    requirement: (test) the event stored in setup can be read.
    setup:
      - request:
          method: PUT
          path: \${cal}setup-target.ics
          headers: { Content-Type: text/calendar }
          bodyFile: ical/event-basic.ics
        expect: [ { status: 201 } ]
    steps:
      - request: { method: GET, path: "\${cal}setup-target.ics" }
        expect: [ { status: 200 } ]
  - id: bk-must-fail
    title: wrong MUST
    level: MUST
    requirement: (test) OPTIONS answers 299, which it never does.
    steps:
      - request: { method: OPTIONS, path: "\${cal}" }
        expect: [ { status: 299 } ]
`;

const USER = { user: 'test', password: 'pw-blocked-1', kind: 'basic' as const };
const CAL = /^\/calendars\/test\/calspec-[^/]+\/$/;
const NOT_A_CALENDAR =
  '<?xml version="1.0"?><d:multistatus xmlns:d="DAV:"><d:response><d:href>/x/</d:href><d:propstat><d:prop>' +
  '<d:resourcetype><d:collection/></d:resourcetype></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>' +
  '</d:response></d:multistatus>';

describe('runner: blocked scenarios', function () {
  this.timeout(30_000);
  let server: RunningServer;
  let proxy: FaultProxy;
  const suite = loadSuiteFile('test/blocked.yaml', { fixturesDir: 'fixtures' }, SUITE);

  before(async () => {
    server = await startReferenceServer({
      port: 0,
      users: [{ name: USER.user, password: USER.password }],
      quiet: true,
    });
    proxy = await startFaultProxy({ upstream: server.url });
  });
  after(async () => {
    await proxy?.close();
    await server?.stop();
  });

  async function run(rules: FaultRule[], only = 'bk-setup', baseline: { scenario: string; reason: string }[] = []) {
    proxy.setRules(rules);
    const results = await runConformance({
      target: proxy.url,
      users: [USER],
      suites: [suite],
      baseline,
      filter: (key) => key.endsWith(`/${only}`) || only === '*',
    });
    return { results, byId: (id: string) => results.suites.flatMap((s) => s.scenarios).find((r) => r.id === id)! };
  }

  function assertCleanedUp(results: RunResults) {
    assert.deepEqual(results.cleanup.leftover, []);
    assert.deepEqual([...results.cleanup.created].sort(), [...results.cleanup.removed].sort());
  }

  it('a setup PUT refused → blocked, naming the operation and its direct test; alone it passes the run', async () => {
    const put = { method: 'PUT', path: /setup-target\.ics$/, action: { kind: 'respond', status: 507 } } as const;
    const { results, byId } = await run([put]);
    const r = byId('bk-setup');
    assert.equal(r.grade, 'blocked');
    assert.match(r.reason!, /^setup failed: PUT \/calendars\/test\/calspec-\S+\/setup-target\.ics: /);
    assert.match(
      r.reason!,
      /: status is 201: expected 201, got 507 \(rfc4791\/5\.3\.2\/put-event-created tests PUT directly\)$/,
    );
    assert.equal(results.summary.blocked, 1);
    assert.equal(results.exitCode, 0);
    assertCleanedUp(results);
  });

  it('a failure next to a blocked scenario still fails the run', async () => {
    const put = { method: 'PUT', path: /setup-target\.ics$/, action: { kind: 'respond', status: 507 } } as const;
    const { results, byId } = await run([put], '*');
    assert.equal(byId('bk-setup').grade, 'blocked');
    assert.equal(byId('bk-must-fail').grade, 'failed');
    assert.equal(results.exitCode, 1);
  });

  it('MKCALENDAR of the scenario calendar refused → blocked, not errored', async () => {
    const { results, byId } = await run([
      { method: 'MKCALENDAR', path: CAL, action: { kind: 'respond', status: 403 } },
    ]);
    const r = byId('bk-setup');
    assert.equal(r.grade, 'blocked');
    assert.match(r.reason!, /^could not create the scenario calendar: MKCALENDAR \/calendars\/test\/calspec-\S+\/: /);
    assert.match(r.reason!, /got 403 \(rfc4791\/5\.3\.1\/mkcal-with-body-created tests MKCALENDAR directly\)$/);
    assert.equal(r.steps.length, 1, 'nothing else was sent');
    assert.equal(results.exitCode, 0);
  });

  it('MKCALENDAR answered 201 but PROPFIND shows no calendar → blocked, and the collection is removed', async () => {
    const { results, byId } = await run([
      {
        method: 'PROPFIND',
        path: CAL,
        nth: 1,
        action: { kind: 'respond', status: 207, body: NOT_A_CALENDAR, headers: { 'content-type': 'application/xml' } },
      },
    ]);
    const r = byId('bk-setup');
    assert.equal(r.grade, 'blocked', r.reason);
    assert.match(
      r.reason!,
      /^MKCALENDAR answered 201 but \/calendars\/test\/calspec-\S+\/ is not a calendar collection: PROPFIND /,
    );
    assert.match(r.reason!, /\(rfc4791\/5\.3\.1\/mkcal-created tests MKCALENDAR directly\)$/);
    assert.deepEqual(
      r.steps.map((s) => [s.phase, s.exchange?.request.method]),
      [
        ['calendar', 'MKCALENDAR'],
        ['calendar', 'PROPFIND'],
      ],
    );
    assertCleanedUp(results);
  });

  it('the healthy path checks the calendar once and passes', async () => {
    const { byId } = await run([]);
    const r = byId('bk-setup');
    assert.equal(r.grade, 'passed', r.reason);
    assert.equal(r.steps.filter((s) => s.phase === 'calendar').length, 2);
  });

  it('baselines: a listed scenario that is blocked stays blocked; a blocked one never enters a baseline', async () => {
    const put = { method: 'PUT', path: /setup-target\.ics$/, action: { kind: 'respond', status: 507 } } as const;
    const listed = [{ scenario: 'bk-setup', reason: 'known' }];
    const { results, byId } = await run([put], 'bk-setup', listed);
    assert.equal(byId('bk-setup').grade, 'blocked');
    assert.equal(byId('bk-setup').baselineReason, undefined);
    const kept = updateBaseline(listed, results);
    assert.deepEqual(kept.unjudged, ['bk-setup'], 'a blocked run says nothing about the entry');
    assert.deepEqual(kept.dropped, []);
    assert.deepEqual(updateBaseline([], results).added, [], 'blocked is not a failure to record');
  });
});
