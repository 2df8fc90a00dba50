// Shared test data: the hand-written fixtures and a generator for large runs (browser perf test).
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadResults } from '../../src/model/load.js';
import {
  emptyCounts,
  type Grade,
  type MatrixResults,
  type RunResults,
  type ScenarioResult,
  type SuiteResult,
} from '../../src/model/result.js';

export function fixture(name: 'run'): RunResults;
export function fixture(name: 'load'): LoadResults;
export function fixture(name: 'matrix'): MatrixResults;
export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../fixtures/results/${name}.json`, import.meta.url), 'utf8'));
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'calspec-report-'));
}

const SECTIONS: [string, string, string][] = [
  ['rfc4791', '5.3.2', 'Creating calendar object resources'],
  ['rfc4791', '7.8', 'CALDAV:calendar-query REPORT'],
  ['rfc4791', '7.9', 'CALDAV:calendar-multiget REPORT'],
  ['rfc4791', '9.9', 'CALDAV:time-range'],
  ['rfc4918', '9.1', 'PROPFIND'],
  ['rfc4918', '9.10', 'LOCK'],
  ['rfc6578', '3.2', 'DAV:sync-collection'],
  ['rfc6638', '3.2', 'Scheduling outbox'],
  ['rfc5545', '3.8.5', 'Recurrence'],
  ['rfc7809', '3', 'Time zones by reference'],
];
const GRADE_CYCLE: Grade[] = [
  'passed',
  'passed',
  'passed',
  'passed',
  'failed',
  'non-strict',
  'skipped',
  'informational',
  'passed',
  'errored',
  'expected-fail',
  'fixed',
];
const ICAL_A =
  'BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART:20250106T100000Z\nSUMMARY:Weekly\nEND:VEVENT\nEND:VCALENDAR';

function scenario(i: number, rfc: string, section: string, suiteId: string): ScenarioResult {
  const grade = GRADE_CYCLE[i % GRADE_CYCLE.length]!;
  const id = `case-${String(i).padStart(4, '0')}`;
  const bad = grade === 'failed' || grade === 'non-strict' || grade === 'expected-fail';
  const msBody =
    `<?xml version="1.0" encoding="utf-8"?><d:multistatus xmlns:d="DAV:"><d:response>` +
    `<d:href>/u/cal/${id}.ics</d:href><d:propstat><d:prop><d:getetag>"e${i}"</d:getetag>` +
    `</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>`;
  return {
    key: `${suiteId}/${id}`,
    id,
    suiteId,
    title: `generated scenario ${i} (${grade})`,
    rfc,
    section,
    level: grade === 'non-strict' ? 'SHOULD' : 'MUST',
    requirement: `Requirement text number ${i} of ${rfc} section ${section}.`,
    covers: [`${rfc}#${section}`],
    requires: i % 3 === 0 ? ['calendar-access', 'sync'] : ['calendar-access'],
    grade,
    reason: grade === 'passed' ? undefined : `reason for ${grade} in scenario ${i}`,
    baselineReason: grade === 'expected-fail' || grade === 'fixed' ? 'known in baseline' : undefined,
    durationMs: 5 + (i % 97),
    at: `suites/${rfc}/${section}.yaml:${i + 1}`,
    steps:
      grade === 'skipped'
        ? []
        : [
            {
              name: 'query',
              phase: 'step',
              exchange: {
                request: {
                  method: 'REPORT',
                  url: `http://localhost:5232/u/cal/`,
                  headers: { depth: '1', 'content-type': 'application/xml' },
                  body: '<c:calendar-query xmlns:c="urn:ietf:params:xml:ns:caldav"/>',
                },
                response: {
                  status: 207,
                  statusText: 'Multi-Status',
                  headers: { 'content-type': 'application/xml' },
                  body: msBody,
                },
                timings: { startedAt: 1740824100000 + i, headersMs: 3, totalMs: 4 },
              },
              checks: [
                { kind: 'status', ok: true, description: 'status in [207]', expected: ['207'], actual: '207' },
                ...(bad
                  ? [
                      {
                        kind: 'ical',
                        ok: false,
                        description: 'calendar-data matches',
                        expected: [ICAL_A],
                        actual: ICAL_A.replace('Weekly', 'Changed'),
                      },
                    ]
                  : []),
              ],
              error: grade === 'errored' ? 'transport error: timeout' : undefined,
            },
          ],
  };
}

/** A run of `n` scenarios spread over RFC sections, every grade present, JSON-clean (no undefined). */
export function generateRun(n: number): RunResults {
  const suites: SuiteResult[] = SECTIONS.map(([rfc, section, title]) => ({
    id: `${rfc}/${section}`,
    title,
    rfc,
    section,
    file: `suites/${rfc}/${section}.yaml`,
    scenarios: [],
  }));
  const summary = emptyCounts();
  for (let i = 0; i < n; i++) {
    const suite = suites[i % suites.length]!;
    const s = scenario(i, suite.rfc, suite.section, suite.id);
    summary[s.grade]++;
    suite.scenarios.push(s);
  }
  const run: RunResults = {
    schemaVersion: 1,
    kind: 'conformance',
    tool: { name: 'calspec', version: '0.1.0' },
    runId: 'generated',
    startedAt: '2025-03-01T10:00:00.000Z',
    finishedAt: '2025-03-01T10:05:00.000Z',
    durationMs: 300000,
    target: { url: 'http://localhost:5232/', name: 'generated', profile: 'radicale' },
    strict: false,
    interrupted: false,
    summary,
    exitCode: 1,
    suites,
    cleanup: { created: [], removed: [], leftover: [] },
    notes: [],
  };
  return JSON.parse(JSON.stringify(run)) as RunResults;
}
