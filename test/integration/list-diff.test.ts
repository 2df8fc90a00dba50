// `calspec list`, run's selection options and `calspec diff` as users meet them: output, exit codes,
// one-line messages for bad input, never a stack trace.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffGrades } from '../../src/cli/diff.js';
import type { Grade } from '../../src/model/result.js';

function calspec(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'calspec-diff-'));
function results(name: string, grades: Record<string, Grade>): string {
  const run = JSON.parse(readFileSync('test/fixtures/results/run.json', 'utf8')) as {
    suites: Array<{ scenarios: Array<Record<string, unknown>> }>;
  };
  const template = run.suites[0]!.scenarios[0]!;
  run.suites = [
    { ...run.suites[0]!, scenarios: Object.entries(grades).map(([key, grade]) => ({ ...template, key, grade })) },
  ];
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(run));
  return file;
}

describe('calspec list and selection options', function () {
  this.timeout(120_000);

  it('lists scenarios with key, level, section and features, narrowed by the selection', () => {
    const r = calspec(['list', '--rfc', '4918', '--feature', 'lock', '--level', 'MUST']);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n');
    assert.match(lines.at(-1)!, /^\d+ scenarios$/);
    assert.ok(lines.length > 1, r.out);
    for (const line of lines.slice(0, -1)) assert.match(line, /^rfc4918\/\S+ +MUST +RFC 4918 §[\d.]+ +requires .*lock/);
  });

  it('--json gives the same set as text; --section 9.6 includes 9.6.5', () => {
    const r = calspec(['list', '--rfc', '4791', '--section', '9.6', '--json']);
    assert.equal(r.code, 0, r.err);
    const rows = JSON.parse(r.out) as Array<{ key: string; section: string }>;
    assert.ok(rows.some((x) => x.section === '9.6.5'));
    assert.ok(rows.every((x) => x.section === '9.6' || x.section.startsWith('9.6.')));
    const excluded = JSON.parse(
      calspec(['list', '--rfc', '4791', '--section', '9.6', '--exclude', '/9\\.6\\.5/', '--json']).out,
    ) as unknown[];
    assert.equal(excluded.length, rows.filter((x) => x.section !== '9.6.5').length);
  });

  it('a bad selection value is exit 2 with one line, for list and for run', () => {
    for (const args of [
      ['list', '--level', 'OFTEN'],
      ['run', '-t', 'http://127.0.0.1:1/', '-u', 'a', '--password', 'b', '--exclude', '('],
    ]) {
      const r = calspec(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.equal(r.err.trim().split('\n').length, 1, r.err);
    }
  });

  it('--help of run, list and diff names the new options', () => {
    assert.match(calspec(['run', '--help']).out, /--section S[\s\S]*--exclude REGEX/);
    assert.match(calspec(['list', '--help']).out, /--feature NAME[\s\S]*--json/);
    assert.match(calspec(['diff', '--help']).out, /new failures/);
  });
});

describe('calspec diff', function () {
  this.timeout(120_000);

  it('classifies new failures, fixed, changed, added and removed', () => {
    const d = diffGrades(
      new Map<string, Grade>([
        ['p', 'passed'],
        ['f', 'failed'],
        ['s', 'skipped'],
        ['e', 'errored'],
        ['gone', 'passed'],
      ]),
      new Map<string, Grade>([
        ['p', 'non-strict'],
        ['f', 'passed'],
        ['s', 'passed'],
        ['e', 'failed'],
        ['new', 'errored'],
      ]),
    );
    assert.deepEqual(d.newFailures, [
      { key: 'p', from: 'passed', to: 'non-strict' },
      { key: 'new', from: null, to: 'errored' },
    ]);
    assert.deepEqual(d.fixed, [{ key: 'f', from: 'failed', to: 'passed' }]);
    assert.deepEqual(d.changed, [
      { key: 's', from: 'skipped', to: 'passed' },
      { key: 'e', from: 'errored', to: 'failed' },
    ]);
    assert.deepEqual(d.added, [{ key: 'new', grade: 'errored' }]);
    assert.deepEqual(d.removed, [{ key: 'gone', grade: 'passed' }]);
  });

  it('exit 1 on a new failure, 0 when only fixes and other changes', () => {
    const a = results('a.json', { 'rfc4791/5.1/x': 'passed', 'rfc4791/5.1/y': 'failed' });
    const worse = results('b.json', { 'rfc4791/5.1/x': 'failed', 'rfc4791/5.1/y': 'failed' });
    const better = results('c.json', { 'rfc4791/5.1/x': 'skipped', 'rfc4791/5.1/y': 'passed' });
    const r1 = calspec(['diff', a, worse]);
    assert.equal(r1.code, 1, r1.err);
    assert.match(r1.out, /new failures \(1\):\n {2}rfc4791\/5\.1\/x {2}passed -> failed/);
    const r0 = calspec(['diff', a, better]);
    assert.equal(r0.code, 0, r0.err);
    assert.match(r0.out, /0 new failures, 1 fixed, 1 changed, 0 added, 0 removed/);
    assert.equal(JSON.parse(calspec(['diff', a, worse, '--json']).out).newFailures.length, 1);
  });

  it('exit 2 naming the file for a missing, corrupt or wrong-kind input', () => {
    const a = results('ok.json', { k: 'passed' });
    const corrupt = join(dir, 'corrupt.json');
    writeFileSync(corrupt, '{"kind": "conformance", "suites": [');
    const noGrade = join(dir, 'nograde.json');
    writeFileSync(
      noGrade,
      JSON.stringify({ kind: 'conformance', suites: [{ scenarios: [{ key: 'k', grade: 'great' }] }] }),
    );
    for (const [file, pattern] of [
      [join(dir, 'missing.json'), /missing\.json: cannot read \(no such file\)/],
      [corrupt, /corrupt\.json: not valid JSON/],
      ['test/fixtures/results/load.json', /load\.json: not a conformance results\.json \(kind is "load"/],
      [noGrade, /nograde\.json: .*scenarios\[0\] lacks a key or a known grade/],
    ] as const) {
      const r = calspec(['diff', a, file]);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, pattern);
      assert.equal(r.err.trim().split('\n').length, 1, r.err);
      assert.doesNotMatch(r.err, /\n\s+at /);
    }
    assert.equal(calspec(['diff', a]).code, 2);
  });
});
