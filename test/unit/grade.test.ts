// Grading step outcomes, the setup side: a failure while preparing a scenario blocks it (naming
// the operation and the scenario that tests it) instead of failing its requirement; what calspec
// itself got wrong, assumptions, interrupts and teardown keep their grades.
import assert from 'node:assert/strict';
import { calendarVerdict, gradeSteps } from '../../src/engine/grade.js';
import type { Exchange } from '../../src/model/exchange.js';
import type { StepPhase, StepResult } from '../../src/model/result.js';

const BASE = 'http://127.0.0.1:5232/calendars/test/calspec-x-001/';
const EVENT = 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';

function exchange(method: string, path: string, status: number | undefined, body?: string): Exchange {
  return {
    request: { method, url: BASE + path, headers: {}, ...(body === undefined ? {} : { body }) },
    ...(status === undefined ? { error: 'connection reset by server (read ECONNRESET)' } : {}),
    ...(status === undefined ? {} : { response: { status, headers: {}, body: '' } }),
    timings: { startedAt: 0, totalMs: 1 },
  };
}

function step(phase: StepPhase, method: string, path: string, status?: number, opts: Partial<StepResult> = {}) {
  const ok = status === undefined || status < 300;
  const result: StepResult = {
    name: `${method} \${cal}${path}`,
    phase,
    exchange: exchange(method, path, status, method === 'PUT' ? EVENT : undefined),
    checks:
      status === undefined
        ? []
        : [{ kind: 'status', ok, description: 'status is 201', expected: ['201'], actual: String(status) }],
    ...(status === undefined ? { error: `${method} /calendars/test/calspec-x-001/${path}: connection reset` } : {}),
    ...opts,
  };
  return result;
}

const failedPut = (phase: StepPhase) => step(phase, 'PUT', 'a.ics', 500);

describe('grade: setup failures block the scenario', () => {
  it('a failed setup check → blocked, naming the operation, expected vs got, and the direct test', () => {
    const v = gradeSteps([failedPut('setup')], 'MUST', 'normative', { key: 'rfc4791/7.8/q' });
    assert.equal(v.grade, 'blocked');
    assert.equal(
      v.reason,
      'setup failed: PUT /calendars/test/calspec-x-001/a.ics: status is 201: expected 201, got 500 ' +
        '(rfc4791/5.3.2/put-event-created tests PUT directly)',
    );
  });

  it('blocks SHOULD, MAY and informational scenarios alike', () => {
    for (const [level, mode] of [
      ['SHOULD', 'normative'],
      ['MAY', 'normative'],
      ['MUST', 'informational'],
    ] as const)
      assert.equal(gradeSteps([failedPut('setup')], level, mode).grade, 'blocked');
  });

  it('a transport error in setup → blocked, with the error', () => {
    const v = gradeSteps([step('setup', 'PUT', 'a.ics')], 'MUST', 'normative');
    assert.equal(v.grade, 'blocked');
    assert.match(v.reason!, /^setup failed: PUT \/calendars\/\S+a\.ics: connection reset by server/);
  });

  it('the same failure in a step is the verdict: failed', () => {
    const v = gradeSteps([step('setup', 'PUT', 'b.ics', 201), failedPut('step')], 'MUST', 'normative');
    assert.equal(v.grade, 'failed');
  });

  it('a setup operation that is the scenario’s own subject is its verdict: failed', () => {
    const v = gradeSteps([failedPut('setup')], 'MUST', 'normative', { key: 'rfc4791/5.3.2/put-event-created' });
    assert.equal(v.grade, 'failed');
  });

  it('a PUT replacing what an earlier PUT of the scenario created points at the update test', () => {
    const v = gradeSteps([step('setup', 'PUT', 'a.ics', 201), failedPut('setup')], 'MUST', 'normative');
    assert.match(v.reason!, /\(rfc4791\/5\.3\.2\/put-update-replaces tests PUT directly\)$/);
  });

  it('what calspec got wrong stays errored: nothing sent, or a capture failing on a good answer', () => {
    const unsent: StepResult = { name: 'PUT x', phase: 'setup', checks: [], error: 'suite.yaml:3:5: unknown variable' };
    assert.equal(gradeSteps([unsent], 'MUST', 'normative').grade, 'errored');
    const capture = step('setup', 'PUT', 'a.ics', 201, { error: "suite.yaml:9:9: capture 'etag' failed: no ETag" });
    assert.equal(gradeSteps([capture], 'MUST', 'normative').grade, 'errored');
  });

  it('an unmet assumption in setup still skips; an interrupted run is not blocked', () => {
    const assumed = step('setup', 'PUT', 'a.ics', 500, { assumptionFailed: 'header X present: got nothing' });
    assert.equal(gradeSteps([assumed], 'MUST', 'normative').grade, 'skipped');
    const cut = gradeSteps([step('setup', 'PUT', 'a.ics')], 'MUST', 'normative', { interrupted: true });
    assert.equal(cut.grade, 'errored');
  });

  it('teardown failures never change the grade', () => {
    const steps = [step('step', 'GET', 'a.ics', 200), step('teardown', 'DELETE', 'a.ics', 500)];
    assert.equal(gradeSteps(steps, 'MUST', 'normative').grade, 'passed');
  });
});

describe('grade: the scenario calendar', () => {
  it('MKCALENDAR refused → blocked, naming the MKCALENDAR scenario for that body', () => {
    const mk = step('calendar', 'MKCALENDAR', '', 403);
    mk.exchange!.request.body = '<c:mkcalendar><d:set><d:prop><d:displayname>x</d:displayname></d:prop></d:set>';
    const v = calendarVerdict([mk], { key: 'rfc4791/7.8/q' })!;
    assert.equal(v.grade, 'blocked');
    assert.match(v.reason!, /^could not create the scenario calendar: MKCALENDAR \/calendars\/test\/calspec-x-001\/: /);
    assert.match(v.reason!, /got 403 \(rfc4791\/5\.3\.1\/mkcal-with-body-created tests MKCALENDAR directly\)$/);
  });

  it('MKCALENDAR 2xx but PROPFIND shows no calendar → blocked, pointing at the resourcetype scenario', () => {
    const verify = step('calendar', 'PROPFIND', '', 207);
    verify.checks = [
      { kind: 'status', ok: true, description: 'status is 207', expected: ['207'], actual: '207' },
      {
        kind: 'propstat',
        ok: false,
        description: '{DAV:}resourcetype contains <{urn:ietf:params:xml:ns:caldav}calendar>',
        expected: ['<{urn:ietf:params:xml:ns:caldav}calendar>'],
        actual: '<d:collection/>',
      },
    ];
    const v = calendarVerdict([step('calendar', 'MKCALENDAR', '', 201), verify])!;
    assert.equal(v.grade, 'blocked');
    assert.match(
      v.reason!,
      /^MKCALENDAR answered 201 but \/calendars\/test\/calspec-x-001\/ is not a calendar collection: PROPFIND /,
    );
    assert.match(v.reason!, /\(rfc4791\/5\.3\.1\/mkcal-created tests MKCALENDAR directly\)$/);
  });

  it('a usable calendar → no verdict; an interrupted MKCALENDAR → errored as before', () => {
    assert.equal(
      calendarVerdict([step('calendar', 'MKCALENDAR', '', 201), step('calendar', 'PROPFIND', '', 207)]),
      undefined,
    );
    const cut = calendarVerdict([step('calendar', 'MKCALENDAR', '')], { interrupted: true })!;
    assert.equal(cut.grade, 'errored');
    assert.match(cut.reason!, /could not create the scenario calendar/);
  });
});
