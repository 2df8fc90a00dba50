// The runner's decisions, against the in-process reference server: grading by level, baselines,
// --strict, feature and user skips, the sandbox fence, and cleanup.
import assert from 'node:assert/strict';
import { runConformance, type RunOptions } from '../../src/engine/runner.js';
import { loadSuiteFile } from '../../src/suite/load.js';
import { startReferenceServer, type RunningServer } from '../../src/server/index.js';
import type { ScenarioResult } from '../../src/model/result.js';

const SUITE =
  `id: runner-t
title: Runner test
rfc: 4791
section: "5.3.2"
scenarios:
  - id: rt-pass
    title: PUT then GET
    level: MUST
    requirement: A stored event can be read back.
    steps:
      - request:
          method: PUT
          path: \${cal}a.ics
          headers: { Content-Type: text/calendar }
          bodyFile: ical/event-basic.ics
        expect: [ { status: 201 } ]
        capture: { etag: { header: ETag } }
      - request: { method: GET, path: "\${cal}a.ics" }
        expect: [ { etag: { equals: "\${etag}" } } ]
  - id: rt-must-fail
    title: wrong MUST
    level: MUST
    requirement: (test) OPTIONS answers 299, which it never does.
    steps:
      - request: { method: OPTIONS, path: "\${cal}" }
        expect: [ { status: 299 } ]
  - id: rt-should-fail
    title: wrong SHOULD
    level: SHOULD
    requirement: (test) a SHOULD-level miss.
    steps:
      - request: { method: OPTIONS, path: "\${cal}" }
        expect: [ { status: 299 } ]
  - id: rt-may-fail
    title: wrong MAY
    level: MAY
    requirement: (test) a MAY-level difference is only recorded.
    steps:
      - request: { method: OPTIONS, path: "\${cal}" }
        expect: [ { status: 299 } ]
  - id: rt-needs-lock
    title: needs LOCK
    level: MUST
    requirement: (test) skipped when the profile says LOCK is missing.
    requires: [lock]
    steps:
      - request: { method: OPTIONS, path: "\${cal}" }
  - id: rt-two-users
    title: needs two users
    level: MUST
    requirement: (test) another user cannot read this calendar.
    users: 2
    steps:
      - request: { method: PROPFIND, path: "\${cal}", headers: { Depth: "0" }, as: 2 }
        expect: [ { status: [403, 404] } ]
  - id: rt-assume
    title: applies only when the server sends X-Never
    level: MUST
    requirement: (test) an unmet assumption skips the scenario instead of failing it.
    steps:
      - request: { method: OPTIONS, path: "\${cal}" }
        assume: [ { header: { name: X-Never, present: true } } ]
        expect: [ { status: 299 } ]
  - id: rt-account
    title: writes outside the sandbox
    level: MUST
    requirement: (test) account-level scenarios run only when allowed.
    accountWrites: true
    steps:
      - request: { method: OPTIONS, path: "\${cal}" }
        expect: [ { status: 200 } ]
  - id: rt-xml-filter
    title: captured values are escaped for XML bodies
    level: MUST
    requirement: (test) a captured value with markup characters survives a round trip through a PROPPATCH body.
    steps:
      - request:
          method: PROPPATCH
          path: \${cal}
          body: '<d:propertyupdate xmlns:d="DAV:"><d:set><d:prop>` +
  `<d:displayname>a&amp;b&lt;c</d:displayname></d:prop></d:set></d:propertyupdate>'
        expect: [ { status: 207 } ]
      - request: { method: PROPFIND, path: "\${cal}", headers: { Depth: "0" }, ` +
  `body: '<d:propfind xmlns:d="DAV:"><d:prop><d:displayname/></d:prop></d:propfind>' }
        capture: { name: { prop: d:displayname } }
      - request:
          method: PROPPATCH
          path: \${cal}
          body: '<d:propertyupdate xmlns:d="DAV:"><d:set><d:prop>` +
  `<d:displayname>\${name|xml}!</d:displayname></d:prop></d:set></d:propertyupdate>'
        expect: [ { status: 207 } ]
      - request: { method: PROPFIND, path: "\${cal}", headers: { Depth: "0" }, ` +
  `body: '<d:propfind xmlns:d="DAV:"><d:prop><d:displayname/></d:prop></d:propfind>' }
        expect: [ { propstat: { prop: d:displayname, equals: "a&b<c!" } } ]
  - id: rt-fence
    title: write outside the sandbox
    level: MUST
    requirement: (test) the runner refuses to write outside the run's sandbox.
    steps:
      - request: { method: DELETE, path: "\${home}default/" }
`;

const USERS = [
  { user: 'test', password: 'pw-test-1', kind: 'basic' as const },
  { user: 'user1', password: 'pw-user1-2', kind: 'basic' as const },
];

describe('runner', () => {
  let server: RunningServer;
  const suite = loadSuiteFile('test/runner.yaml', { fixturesDir: 'fixtures' }, SUITE);
  const byId = (list: ScenarioResult[], id: string) => list.find((r) => r.id === id)!;
  const run = async (extra: Partial<RunOptions> = {}) => {
    const results = await runConformance({
      target: server.url,
      users: USERS,
      suites: [suite],
      jobs: 3,
      profile: {
        name: 'reference-test',
        displayName: 'ref',
        verified: true,
        auth: 'basic',
        layout: {},
        features: { lock: false },
        quirks: [],
        baseline: [],
      },
      ...extra,
    });
    return { results, all: results.suites.flatMap((s) => s.scenarios) };
  };

  before(async () => {
    server = await startReferenceServer({
      port: 0,
      users: USERS.map((u) => ({ name: u.user, password: u.password })),
      quiet: true,
    });
  });
  after(() => server.stop());

  it('grades by requirement level and gates the exit code', async () => {
    const { results, all } = await run();
    assert.equal(byId(all, 'rt-pass').grade, 'passed');
    assert.equal(byId(all, 'rt-must-fail').grade, 'failed');
    assert.match(byId(all, 'rt-must-fail').reason!, /expected 299, got 200/);
    assert.equal(byId(all, 'rt-should-fail').grade, 'non-strict');
    assert.equal(byId(all, 'rt-may-fail').grade, 'informational');
    assert.equal(byId(all, 'rt-two-users').grade, 'passed');
    assert.equal(byId(all, 'rt-xml-filter').grade, 'passed', byId(all, 'rt-xml-filter').reason);
    assert.equal(results.exitCode, 1);
  });

  it('skips with the reason: missing feature, missing second user', async () => {
    const { all } = await run({ users: [USERS[0]!] });
    assert.equal(byId(all, 'rt-needs-lock').grade, 'skipped');
    assert.match(byId(all, 'rt-needs-lock').reason!, /lacks feature: lock \(profile reference-test\)/);
    assert.equal(byId(all, 'rt-two-users').grade, 'skipped');
    assert.match(byId(all, 'rt-two-users').reason!, /second user/);
  });

  it('skips when an assumption does not hold, and gates account-level writes', async () => {
    const { all } = await run();
    assert.equal(byId(all, 'rt-assume').grade, 'skipped');
    assert.match(byId(all, 'rt-assume').reason!, /does not apply to this target: .*X-Never/);
    assert.equal(byId(all, 'rt-account').grade, 'skipped');
    assert.match(byId(all, 'rt-account').reason!, /--allow-account-writes/);
    const allowed = await run({ allowAccountWrites: true });
    assert.equal(byId(allowed.all, 'rt-account').grade, 'passed');
  });

  it('refuses a write outside the sandbox and leaves the target untouched', async () => {
    const { all } = await run();
    const fence = byId(all, 'rt-fence');
    assert.equal(fence.grade, 'errored');
    assert.match(fence.reason!, /refused: DELETE \/calendars\/test\/default\/ is outside this run's sandbox/);
    assert.equal(fence.steps.find((s) => s.phase === 'step')!.exchange, undefined, 'nothing was sent');
  });

  it('turns known failures into expected-fail, surprising passes into fixed, and exits 0', async () => {
    const baseline = ['rt-must-fail', 'rt-should-fail', 'rt-fence', 'rfc4791/5.3.2/rt-pass'].map((scenario) => ({
      scenario,
      reason: 'known',
    }));
    const { results, all } = await run({ baseline });
    assert.equal(byId(all, 'rt-must-fail').grade, 'expected-fail');
    assert.equal(byId(all, 'rt-pass').grade, 'fixed');
    assert.equal(results.exitCode, 0);
  });

  it('--strict makes SHOULD violations fail the run', async () => {
    const baseline = ['rt-must-fail', 'rt-fence', 'rt-assume'].map((scenario) => ({ scenario, reason: 'known' }));
    assert.equal((await run({ baseline })).results.exitCode, 0);
    assert.equal((await run({ baseline, strict: true })).results.exitCode, 1);
  });

  it('removes every calendar it created, and records it', async () => {
    const { results } = await run();
    assert.ok(results.cleanup.created.length >= 5);
    assert.deepEqual(results.cleanup.leftover, []);
    assert.deepEqual([...results.cleanup.created].sort(), [...results.cleanup.removed].sort());
  });

  it('scrubs passwords from everything it records', async () => {
    const { results } = await run();
    assert.ok(!JSON.stringify(results).includes('pw-test-1'));
    assert.ok(!JSON.stringify(results).includes(Buffer.from('test:pw-test-1').toString('base64')));
  });
});
