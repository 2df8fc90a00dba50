// `calspec matrix` over the reference server twice (clean, and with a fault) plus an unreachable
// target: the cells say pass / fail / expected-fail / skipped / error where they should.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { matrixCommand } from '../../src/cli/matrix.js';
import { buildMatrix } from '../../src/report/matrix-table.js';
import type { MatrixResults } from '../../src/model/result.js';
import { captured, reference, tempDir, USERS } from './helpers.js';

describe('interop: matrix (reference server clean vs fault)', function () {
  this.timeout(60_000);

  it('writes matrix.json, index.html, summary.md with the right cells', async () => {
    const clean = await reference([]);
    const faulty = await reference(['etag-weak']);
    const dir = tempDir('matrix');
    try {
      writeFileSync(join(dir, 'pw'), `${USERS[0]!.password}\n`);
      writeFileSync(join(dir, 'pw2'), `${USERS[1]!.password}\n`);
      writeFileSync(
        join(dir, 'known.yaml'),
        'baseline:\n  - scenario: rfc7232/3.1/if-match-star-existing\n    reason: pretend this is known\n',
      );
      const creds =
        `    user: ${USERS[0]!.name}\n    passwordFile: pw\n` +
        `    user2: ${USERS[1]!.name}\n    password2File: pw2\n`;
      writeFileSync(
        join(dir, 'targets.yaml'),
        [
          'targets:',
          `  - name: clean\n    url: ${clean.url}\n    profile: reference\n    baseline: known.yaml\n${creds}`,
          `  - name: faulty\n    start: echo ${faulty.url}\n    profile: reference\n${creds}`,
          `  - name: gone\n    url: http://127.0.0.1:9/\n    noAuth: true`,
          '',
        ].join('\n'),
      );
      const out = join(dir, 'out');
      const { value, out: stdout } = await captured(() =>
        matrixCommand([
          join(dir, 'targets.yaml'),
          'suites/rfc7232',
          'suites/rfc4791/5.3.4-entity-tag.yaml',
          'suites/rfc6638/3.3-schedule-tag.yaml',
          '-o',
          out,
        ]),
      );
      assert.equal(value, 1, 'the faulty and the unreachable target fail the matrix');
      assert.match(stdout, /scenarios × 3 targets/);
      for (const f of ['matrix.json', 'index.html', 'summary.md', 'clean/results.json', 'faulty/results.json'])
        assert.ok(existsSync(join(out, f)), f);
      const m = JSON.parse(readFileSync(join(out, 'matrix.json'), 'utf8')) as MatrixResults;
      assert.equal(m.kind, 'matrix');
      const t = buildMatrix(m);
      assert.deepEqual(
        t.columns.map((c) => c.name),
        ['clean', 'faulty', 'gone'],
      );
      const col = (name: string) => t.columns.findIndex((c) => c.name === name);
      const cells = (name: string) => t.rows.map((r) => r.cells[col(name)]);
      // The clean server passes what the faulty one fails.
      const regressions = t.rows.filter((r) => r.cells[col('clean')] === 'pass' && r.cells[col('faulty')] === 'fail');
      assert.ok(regressions.length > 0, 'some scenario passes on clean and fails with etag-weak');
      assert.ok(!cells('clean').includes('fail'));
      assert.ok(cells('faulty').includes('pass'));
      // The baseline turns a passing scenario into fixed (a pass cell): the clean column has no expected-fail.
      const known = t.rows.find((r) => r.key === 'rfc7232/3.1/if-match-star-existing');
      if (known) assert.equal(known.cells[col('clean')], 'pass');
      // The unreachable target is a column of errors.
      assert.ok(cells('gone').every((c) => c === 'error'));
      assert.match(m.runs[2]!.notes[0]!, /cannot reach|ECONNREFUSED|refused/i);
      assert.match(readFileSync(join(out, 'summary.md'), 'utf8'), /interop matrix \(3 targets/);
      assert.match(readFileSync(join(out, 'index.html'), 'utf8'), /calspec matrix \(3 targets\)/);
    } finally {
      await clean.stop();
      await faulty.stop();
    }
  });

  it('expected-fail cells come from the baseline', async () => {
    const faulty = await reference(['etag-weak']);
    const dir = tempDir('matrix');
    try {
      writeFileSync(join(dir, 'pw'), `${USERS[0]!.password}\n`);
      const first = join(dir, 'first');
      writeFileSync(
        join(dir, 'targets.yaml'),
        `targets:\n  - name: faulty\n    url: ${faulty.url}\n    profile: reference\n` +
          `    user: ${USERS[0]!.name}\n    passwordFile: pw\n`,
      );
      await captured(() =>
        matrixCommand([join(dir, 'targets.yaml'), 'suites/rfc4791/5.3.4-entity-tag.yaml', '-o', first]),
      );
      const m1 = JSON.parse(readFileSync(join(first, 'matrix.json'), 'utf8')) as MatrixResults;
      const failing = buildMatrix(m1)
        .rows.filter((r) => r.cells[0] === 'fail')
        .map((r) => r.key);
      assert.ok(failing.length > 0);
      writeFileSync(
        join(dir, 'known.yaml'),
        `baseline:\n${failing.map((k) => `  - scenario: ${k}\n    reason: known\n`).join('')}`,
      );
      writeFileSync(
        join(dir, 'targets.yaml'),
        `targets:\n  - name: faulty\n    url: ${faulty.url}\n    profile: reference\n` +
          `    baseline: known.yaml\n    user: ${USERS[0]!.name}\n    passwordFile: pw\n`,
      );
      const second = join(dir, 'second');
      const { value } = await captured(() =>
        matrixCommand([join(dir, 'targets.yaml'), 'suites/rfc4791/5.3.4-entity-tag.yaml', '-o', second]),
      );
      assert.equal(value, 0);
      const rows = buildMatrix(JSON.parse(readFileSync(join(second, 'matrix.json'), 'utf8')) as MatrixResults).rows;
      for (const k of failing) assert.equal(rows.find((r) => r.key === k)!.cells[0], 'expected-fail');
    } finally {
      await faulty.stop();
    }
  });

  it('--compact keeps the exchanges of failing steps only, in unindented JSON', async () => {
    const faulty = await reference(['etag-weak']);
    const dir = tempDir('matrix');
    try {
      writeFileSync(join(dir, 'pw'), `${USERS[0]!.password}\n`);
      writeFileSync(
        join(dir, 'targets.yaml'),
        `targets:\n  - name: faulty\n    url: ${faulty.url}\n    profile: reference\n` +
          `    user: ${USERS[0]!.name}\n    passwordFile: pw\n    allowAccountWrites: true\n`,
      );
      const out = join(dir, 'out');
      await captured(() =>
        matrixCommand([join(dir, 'targets.yaml'), 'suites/rfc4791/5.3.4-entity-tag.yaml', '-o', out, '--compact']),
      );
      const text = readFileSync(join(out, 'matrix.json'), 'utf8');
      assert.ok(!text.includes('\n '), 'compact JSON has no indentation');
      const m = JSON.parse(text) as MatrixResults;
      const steps = m.runs[0]!.suites.flatMap((s) => s.scenarios).flatMap((s) => s.steps);
      const failing = steps.filter((st) => st.error || st.checks.some((c) => !c.ok));
      assert.ok(failing.length > 0 && failing.every((st) => st.exchange), 'every failing step keeps its exchange');
      assert.ok(
        steps.some((st) => !st.exchange && st.checks.length > 0),
        'passing steps lose theirs',
      );
      assert.ok(steps.filter((st) => st.exchange).every((st) => st.error || st.checks.some((c) => !c.ok)));
    } finally {
      await faulty.stop();
    }
  });
});
