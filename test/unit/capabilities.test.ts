// From probe grades to capability states, and from states to skips: an unsupported feature is
// absent (skipped, with the probe's evidence) unless the target advertises it, then it is broken
// (its scenarios run); a failed probe never skips anything; the profile's wording stays for pins.
import assert from 'node:assert/strict';
import { neededFeatures } from '../../src/engine/capabilities.js';
import { claimOf, decide, stateOf } from '../../src/engine/capability-state.js';
import { skipReason } from '../../src/engine/scenario.js';
import type { RunEnv } from '../../src/engine/run-env.js';
import type { FeatureProbeRun, ProbeResult } from '../../src/discover/index.js';
import type { Capability } from '../../src/model/result.js';
import type { ScenarioSpec, SuiteSpec } from '../../src/model/suite.js';
import type { Exchange } from '../../src/model/exchange.js';
import { loadProfile } from '../../src/profile/load.js';

const ex = (method: string, url: string, status: number): Exchange =>
  ({
    request: { method, url, headers: {} },
    response: { status, headers: {}, body: '' },
    timings: { totalMs: 1 },
  }) as unknown as Exchange;

function run(results: Record<string, ProbeResult[]>, davClasses = ['1', '3', 'calendar-access']): FeatureProbeRun {
  return {
    steps: [
      { id: 'options', results: [], exchanges: [ex('OPTIONS', 'http://h/cal/', 200)], uses: [] },
      ...Object.entries(results).map(([id, r]) => ({
        id,
        results: r,
        exchanges: [ex('REPORT', `http://h/cal/${id}`, 403)],
        uses: id === 'lock' ? ['options'] : [],
      })),
    ],
    davClasses,
    undecided: {},
    notes: [],
    interrupted: false,
  };
}

const probe = (id: string, grade: ProbeResult['grade'], observed: string, extra: Partial<ProbeResult> = {}) =>
  ({ id, title: id, grade, observed, ...extra }) as ProbeResult;

describe('capabilities: from probe grades to states', () => {
  it('full, quirk and fragile are present; broken is broken; unsupported and ungraceful are absent', () => {
    assert.deepEqual(
      (['full', 'quirk', 'fragile', 'broken', 'unsupported', 'ungraceful'] as const).map((g) => stateOf(g, undefined)),
      ['present', 'present', 'present', 'broken', 'absent', 'absent'],
    );
    assert.equal(stateOf('unsupported', 'DAV class 2 is advertised'), 'broken');
  });

  it('LOCK refused without class 2 is absent, with the observation and the requests', () => {
    const r = run({
      lock: [probe('lock', 'unsupported', 'LOCK refused with 405 (no DAV class 2)', { feature: 'lock' })],
    });
    const c = decide('lock', r)!;
    assert.deepEqual([c.state, c.source, c.evidence], ['absent', 'probe', 'LOCK refused with 405 (no DAV class 2)']);
    assert.deepEqual(
      c.requests!.map((q) => `${q.method} ${q.url} ${q.status}`),
      ['OPTIONS /cal/ 200', 'REPORT /cal/lock 403'],
    );
  });

  it('LOCK refused while class 2 is advertised is broken: the claim gets tested', () => {
    const r = run({ lock: [probe('lock', 'unsupported', 'LOCK refused with 405', { feature: 'lock' })] }, ['1', '2']);
    assert.equal(claimOf('lock', r), 'DAV class 2 is advertised');
    const c = decide('lock', r)!;
    assert.equal(c.state, 'broken');
    assert.equal(c.evidence, 'LOCK refused with 405, yet DAV class 2 is advertised');
  });

  it('a report listed in DAV:supported-report-set but refused is broken', () => {
    const r = run(
      {
        'calendar-properties': [
          probe('supported-report-set', 'full', 'calendar-query, calendar-multiget, sync-collection'),
        ],
        'sync-collection': [
          probe('sync-collection', 'unsupported', 'initial REPORT refused with 403', { feature: 'sync-collection' }),
        ],
      },
      ['1'],
    );
    assert.equal(decide('sync-collection', r)?.state, 'broken');
    assert.match(decide('sync-collection', r)!.evidence, /yet DAV:supported-report-set lists sync-collection/);
    assert.equal(claimOf('free-busy-query', r), undefined, 'not listed, and no calendar-access');
  });

  it('what calendar-access promises (RFC 4791 §2, §7, §9.6.5) is never absent on a CalDAV server', () => {
    const r = run({
      expand: [
        probe('expand', 'unsupported', 'expand ignored: the master with its RRULE comes back', { feature: 'expand' }),
      ],
      acl: [probe('acl', 'unsupported', 'no access-control DAV class', { feature: 'acl' })],
    });
    assert.equal(decide('expand', r)?.state, 'broken');
    assert.match(
      decide('expand', r)!.evidence,
      /yet calendar-access is advertised, which requires it \(RFC 4791 §9\.6\.5\)/,
    );
    assert.equal(decide('acl', r)?.state, 'broken');
    const notCaldav = run({ acl: [probe('acl', 'unsupported', 'no access-control DAV class', { feature: 'acl' })] }, [
      '1',
    ]);
    assert.equal(decide('acl', notCaldav)?.state, 'absent');
  });

  it('features decided together get one line each (the calendar limit properties)', () => {
    const r = run({
      'calendar-properties': [
        probe('calendar-limits', 'full', 'max-resource-size=10', {
          features: { 'max-resource-size': true, 'date-limits': false },
          observedFor: { 'date-limits': 'PROPFIND of the calendar: min-date-time not returned' },
        }),
      ],
    });
    assert.equal(decide('max-resource-size', r)?.state, 'present');
    assert.deepEqual(
      [decide('date-limits', r)?.state, decide('date-limits', r)?.evidence],
      ['absent', 'PROPFIND of the calendar: min-date-time not returned'],
    );
  });

  it('a probe that failed unexpectedly makes the capability broken, never absent', () => {
    const r = run({ 'copy-move': [probe('copy-move', 'broken', 'probe failed: socket hang up')] });
    assert.deepEqual(
      [decide('copy', r)?.state, decide('copy', r)?.evidence],
      ['broken', 'probe failed: socket hang up'],
    );
    assert.equal(decide('vtodo', r), undefined, 'no result: undecided');
  });
});

describe('capabilities: which features a run needs, and the skip reason', () => {
  const scenario = (id: string, requires: string[], extra: Partial<ScenarioSpec> = {}) =>
    ({ id, requires, users: 1, accountWrites: false, ...extra }) as ScenarioSpec;
  const suite = { requires: ['calendar-query'], scenarios: [] } as unknown as SuiteSpec;

  it('only features of scenarios that can run at all, in FEATURES order', () => {
    const work = [
      { suite, scenario: scenario('a', ['lock']) },
      { suite, scenario: scenario('b', ['acl'], { users: 2 }) },
      { suite, scenario: scenario('c', ['scheduling'], { accountWrites: true }) },
    ];
    assert.deepEqual(neededFeatures(work, 1, false), ['calendar-query', 'lock']);
    assert.deepEqual(neededFeatures(work, 2, true), ['calendar-query', 'acl', 'lock', 'scheduling']);
  });

  it('names the profile for pins and the evidence for probes; broken never skips', () => {
    const caps: Capability[] = [
      { feature: 'calendar-query', state: 'present', source: 'probe', evidence: 'ok' },
      { feature: 'lock', state: 'absent', source: 'probe', evidence: 'LOCK refused with 405 (no DAV class 2)' },
      { feature: 'acl', state: 'absent', source: 'profile', evidence: 'profile p sets acl: false' },
      { feature: 'expand', state: 'broken', source: 'probe', evidence: 'RRULE kept' },
    ];
    const env = {
      features: { acl: false },
      capabilities: new Map(caps.map((c) => [c.feature, c])),
      profileName: 'p',
      users: [{}],
      allowAccountWrites: false,
    } as unknown as RunEnv;
    assert.equal(
      skipReason(suite, scenario('x', ['lock', 'acl']), env),
      'target lacks feature: acl (profile p); target lacks lock: LOCK refused with 405 (no DAV class 2)',
    );
    assert.equal(skipReason(suite, scenario('y', ['expand']), env), undefined);
  });

  it('COPY and MOVE are separate features; a profile written with copy-move pins both', () => {
    const yaml = (features: string) =>
      `name: old\ndisplayName: Old\nverified: false\nauth: basic\nfeatures: { ${features} }\n`;
    assert.deepEqual(loadProfile('old.yaml', yaml("'copy-move': false")).features, { copy: false, move: false });
    // An explicit copy or move wins over the old combined key.
    assert.deepEqual(loadProfile('old.yaml', yaml("'copy-move': true, copy: false")).features, {
      copy: false,
      move: true,
    });
    const r = run({ 'copy-move': [probe('copy', 'unsupported', 'COPY refused with 405', { feature: 'copy' })] });
    assert.deepEqual([decide('copy', r)?.state, decide('move', r)], ['absent', undefined]);
  });
});
