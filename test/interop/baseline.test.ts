// Baseline update semantics (unit, on synthetic results) and in-place profile rewriting.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { updateBaseline, writeBaselineFile, writeProfileBaseline } from '../../src/profile/baseline-write.js';
import { loadBaseline, loadProfile } from '../../src/profile/load.js';
import { emptyCounts, type Grade, type RunResults, type ScenarioResult } from '../../src/model/result.js';
import { tempDir } from './helpers.js';

function scenario(id: string, grade: Grade, reason?: string): ScenarioResult {
  return {
    key: `rfc4791/7.8/${id}`,
    id,
    suiteId: 'rfc4791-7.8',
    title: id,
    rfc: '4791',
    section: '7.8',
    level: 'MUST',
    requirement: 'r',
    covers: [],
    requires: [],
    grade,
    ...(reason ? { reason } : {}),
    durationMs: 1,
    steps: [],
    at: 'x.yaml:1',
  };
}

function run(scenarios: ScenarioResult[]): RunResults {
  return {
    schemaVersion: 1,
    kind: 'conformance',
    tool: { name: 'calspec', version: '0' },
    runId: 'r',
    startedAt: '',
    finishedAt: '',
    durationMs: 0,
    target: { url: 'http://x/', name: 'x' },
    strict: false,
    interrupted: false,
    summary: emptyCounts(),
    exitCode: 1,
    suites: [{ id: 'rfc4791-7.8', title: 't', rfc: '4791', section: '7.8', file: 'f', scenarios }],
    cleanup: { created: [], removed: [], leftover: [] },
    notes: [],
  };
}

describe('interop: baseline update', () => {
  const existing = [
    { scenario: 'rfc4791/7.8/still-failing', reason: 'known: server bug #12', link: 'https://example.org/bug/12' },
    { scenario: 'now-passing', reason: 'was broken' },
    { scenario: 'rfc4791/7.8/now-fixed', reason: 'was broken too' },
    { scenario: 'rfc4791/7.8/skipped-now', reason: 'kept while unjudged' },
    { scenario: 'rfc9999/1/not-in-run', reason: 'other suite' },
  ];
  const results = run([
    scenario('still-failing', 'expected-fail', 'PUT: status is 201: expected 201, got 500'),
    scenario('now-passing', 'passed'),
    scenario('now-fixed', 'fixed'),
    scenario('skipped-now', 'skipped', 'lacks feature'),
    scenario('new-failure', 'failed', 'REPORT ${cal}: status is 207: expected 207, got 400'),
    scenario('new-should', 'non-strict', 'header X present'),
    scenario('new-error', 'errored', 'timeout after 30000 ms'),
    scenario('fine', 'passed'),
    scenario('info', 'informational', 'records'),
  ]);

  it('keeps reasons and links of entries still failing, adds new failures, drops fixed ones', () => {
    const u = updateBaseline(existing, results);
    assert.deepEqual(u.kept, ['rfc4791/7.8/still-failing']);
    assert.deepEqual(u.dropped.sort(), ['rfc4791/7.8/now-fixed', 'rfc4791/7.8/now-passing']);
    assert.deepEqual(u.added, ['rfc4791/7.8/new-failure', 'rfc4791/7.8/new-should', 'rfc4791/7.8/new-error']);
    assert.deepEqual(u.unjudged, ['rfc4791/7.8/skipped-now', 'rfc9999/1/not-in-run']);
    const byKey = Object.fromEntries(u.entries.map((e) => [e.scenario, e]));
    assert.deepEqual(byKey['rfc4791/7.8/still-failing'], existing[0]);
    assert.equal(
      byKey['rfc4791/7.8/new-failure']!.reason,
      'failed: REPORT ${cal}: status is 207: expected 207, got 400',
    );
    assert.equal(byKey['rfc4791/7.8/new-should']!.reason, 'non-strict: header X present');
    assert.equal(byKey['rfc4791/7.8/new-error']!.reason, 'errored: timeout after 30000 ms');
    assert.equal(byKey['rfc4791/7.8/fine'], undefined);
    assert.equal(byKey['rfc4791/7.8/info'], undefined);
    assert.ok(byKey['rfc9999/1/not-in-run'], 'entries the run did not judge are kept');
    assert.deepEqual(
      u.entries.map((e) => e.scenario),
      [...u.entries.map((e) => e.scenario)].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })),
    );
  });

  it('--prune drops entries the run did not judge', () => {
    const u = updateBaseline(existing, results, { prune: true });
    assert.equal(
      u.entries.some((e) => e.scenario.includes('not-in-run') || e.scenario.includes('skipped-now')),
      false,
    );
  });

  it('truncates long reasons to one line', () => {
    const u = updateBaseline([], run([scenario('long', 'failed', `a\nb ${'x'.repeat(400)}`)]));
    assert.ok(u.entries[0]!.reason.length <= 240);
    assert.ok(!u.entries[0]!.reason.includes('\n'));
  });

  it('rewrites only the baseline: section of a profile, keeping comments and the rest', () => {
    const dir = tempDir('baseline');
    const file = join(dir, 'p.yaml');
    const original =
      '# a comment that must survive\nname: p\ndisplayName: P\nverified: true\n' +
      'auth: basic\nfeatures:\n  lock: false # inline comment\nquirks: []\nbaseline:\n' +
      '  - scenario: rfc4791/7.8/still-failing\n    reason: old\nnotes: kept at the end\n';
    writeFileSync(file, original);
    const u = updateBaseline(loadProfile(file).baseline, results);
    writeProfileBaseline(file, u.entries);
    const text = readFileSync(file, 'utf8');
    assert.match(text, /^# a comment that must survive\nname: p\n/);
    assert.match(text, /lock: false # inline comment/);
    assert.match(text, /notes: kept at the end/);
    const p = loadProfile(file);
    assert.deepEqual(
      p.baseline.map((e) => e.scenario),
      u.entries.map((e) => e.scenario),
    );
    assert.equal(p.baseline.find((e) => e.scenario.endsWith('still-failing'))!.reason, 'old');
  });

  it('writes a standalone baseline file that loadBaseline accepts', () => {
    const file = join(tempDir('baseline'), 'b.yaml');
    writeBaselineFile(file, updateBaseline([], results).entries, 'x');
    assert.equal(loadBaseline(file).length, 4);
    assert.match(readFileSync(file, 'utf8'), /^target: x\nupdated: \d{4}-\d\d-\d\d\nbaseline:\n/);
  });
});
