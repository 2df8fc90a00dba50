// Corrupt or foreign input to `calspec merge` and `calspec report` exits 2 with one line naming the
// file and the problem (never 70, never a stack trace), and nothing is written.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeHistogram, newHistogram } from '../../src/load/histogram.js';

const RUN = 'test/fixtures/results/run.json';
const dir = mkdtempSync(join(tmpdir(), 'calspec-corrupt-'));

function file(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

function calspec(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, CALSPEC_DEBUG: '' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// The committed load fixture carries placeholder histograms; give each label a real encoding.
const fixture = JSON.parse(readFileSync('test/fixtures/results/load.json', 'utf8')) as {
  labels: Array<{ histogram: string }>;
};
const load = { ...fixture, labels: fixture.labels.map((l, i) => ({ ...l, histogram: encoded(1000 + i) })) };
const LOAD = file('valid-load.json', JSON.stringify(load));

function encoded(us: number): string {
  const h = newHistogram();
  h.recordValue(us);
  return encodeHistogram(h);
}

const cases: Array<[string, () => string, RegExp]> = [
  ['a truncated JSON', () => file('truncated.json', JSON.stringify(load).slice(0, 200)), /cannot read JSON/],
  ['a wrong kind', () => file('kind.json', JSON.stringify({ ...load, kind: 'conformance-ish' })), /not a calspec/],
  [
    'a corrupt encoded histogram',
    () => {
      const labels = load.labels.map((l, i) =>
        i === 0 ? { ...l, histogram: `${l.histogram.slice(0, -8)}AAAAAAAA` } : l,
      );
      return file('histogram.json', JSON.stringify({ ...load, labels }));
    },
    /corrupt encoded histogram/,
  ],
];

function assertOneLine(r: { code: number | null; err: string }, input: string, problem: RegExp): void {
  assert.equal(r.code, 2, r.err);
  const lines = r.err.trim().split('\n');
  assert.equal(lines.length, 1, r.err);
  assert.ok(lines[0]!.includes(input), r.err);
  assert.match(lines[0]!, problem);
  assert.doesNotMatch(r.err, /\n\s+at /);
}

describe('corrupt input exits 2 naming the file (merge, report)', function () {
  this.timeout(120_000);
  before(function () {
    assert.ok(load.labels.length > 0 && typeof load.labels[0]!.histogram === 'string' && load.labels[0]!.histogram);
  });

  for (const [what, make, problem] of cases) {
    it(`merge: ${what}`, () => {
      const bad = make();
      const out = join(dir, `merged-${what.replace(/\W+/g, '-')}.json`);
      assertOneLine(calspec(['merge', LOAD, bad, '-o', out]), bad, problem);
      assert.ok(!existsSync(out), 'nothing is written');
    });
    it(`report: ${what}`, () => {
      const bad = make();
      assertOneLine(calspec(['report', bad, '-r', 'html', '-o', join(dir, 'r')]), bad, problem);
    });
  }

  it('report: a conformance file without suites', () => {
    const run = JSON.parse(readFileSync(RUN, 'utf8')) as Record<string, unknown>;
    const bad = file('nosuites.json', JSON.stringify({ ...run, suites: undefined }));
    assertOneLine(calspec(['report', bad, '-r', 'html,junit', '-o', join(dir, 'r2')]), bad, /suites \(array\)/);
  });

  it('the valid fixtures still merge and render (exit 0)', () => {
    assert.equal(calspec(['merge', LOAD, LOAD, '-o', join(dir, 'ok.json')]).code, 0);
    assert.equal(calspec(['report', LOAD, '-r', 'html', '-o', join(dir, 'ok')]).code, 0);
  });
});
