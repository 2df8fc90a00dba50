import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { markdownReporter, mdEscape, renderMarkdown } from '../../src/report/markdown.js';
import { buildMatrix, gradeToCell, rowDiffers } from '../../src/report/matrix-table.js';
import { fixture, generateRun, tempDir } from './helpers.js';

describe('markdown reporter', () => {
  it('summarises a conformance run', () => {
    const md = renderMarkdown(fixture('run'));
    assert.match(md, /^## calspec conformance: radicale/);
    assert.match(md, /\| ✅ passed \| ❌ failed \| ⚠️ non-strict \|/);
    assert.match(md, /### New failures \(2\)/);
    assert.match(md, /`rfc4791\/7\.8\/time-range-basic`.*multistatus contains \/alice\/cal\/outside\.ics/);
    assert.match(md, /`rfc4918\/9\.1\/bad-xml`.*socket hang up/);
    assert.match(
      md,
      new RegExp(
        '### Fixed: remove from the baseline \\(1\\)\\n\\n' +
          '- 🎉 `rfc4918\\/9\\.1\\/empty-body` — was: radicale 3\\.1 returned 400',
      ),
    );
    assert.match(md, /<details><summary>Non-strict \(SHOULD not met\): 1<\/summary>/);
    assert.doesNotMatch(md, /allprop/, 'passing scenarios are not listed');
  });

  it('stays compact for large runs', () => {
    const md = renderMarkdown(generateRun(1000));
    assert.ok(md.length < 12_000, `summary is ${md.length} chars`);
    assert.match(md, /… and \d+ more \(see the HTML report\)/);
  });

  it('escapes server-controlled text', () => {
    assert.equal(mdEscape('<img src=x> | *a* `b`'), '\\<img src=x\\> \\| \\*a\\* \\`b\\`');
    const run = structuredClone(fixture('run'));
    run.suites[0]!.scenarios[0]!.reason = '<script>alert(1)</script>\n# heading';
    const md = renderMarkdown(run);
    assert.doesNotMatch(md, /<script>/);
    assert.doesNotMatch(md, /\n# heading/);
  });

  it('summarises load results with a per-label table and slowest labels', () => {
    const md = renderMarkdown(fixture('load'));
    assert.match(md, /^## calspec load: radicale/);
    assert.match(md, /\| label \| requests \| errors \| p50 ms \| p90 ms \| p99 ms \| p99\.9 ms \| max ms \|/);
    assert.match(
      md,
      /\| sync-collection \| 27100 \| 30 \(0\.11%\) \| 25\.1 \| 55\.2 \| 150\.3 \| 420\.0 \| 1210\.0 \|/,
    );
    assert.match(md, /\| \*\*overall\*\* \| 48210 \|/);
    assert.match(md, /### Slowest labels \(p99\)\n\n1\. put-event-if-match — 190\.0 ms/);
    assert.match(md, /- ❌ `errors < 0\.05%` — 0\.077%/);
    assert.match(md, /coordinated omission/);
  });

  it('summarises a matrix with only the rows where targets differ', () => {
    const md = renderMarkdown(fixture('matrix'));
    assert.match(md, /interop matrix \(3 targets, 8 scenarios\)/);
    assert.match(md, /\| `rfc4791\/7\.8\/time-range-basic` \| ❌ \| ✅ \| ✅ \|/);
    assert.doesNotMatch(md, /`rfc4918\/9\.1\/allprop`/);
  });

  it('writes summary.md', async () => {
    const [path] = await markdownReporter.onRunEnd!(fixture('run'), tempDir());
    assert.match(readFileSync(path!, 'utf8'), /New failures/);
  });
});

describe('matrix table', () => {
  it('maps grades to cells and marks absent scenarios', () => {
    assert.equal(gradeToCell('fixed'), 'pass');
    assert.equal(gradeToCell('errored'), 'error');
    const t = buildMatrix(fixture('matrix'));
    assert.deepEqual(
      t.columns.map((c) => c.name),
      ['radicale', 'baikal', 'calspec-reference'],
    );
    const acl = t.rows.find((r) => r.key === 'rfc4918/9.1/second-user-acl')!;
    assert.deepEqual(acl.cells, ['skipped', 'absent', 'skipped']);
    assert.equal(rowDiffers(acl), false);
    assert.deepEqual(
      t.rows.map((r) => r.section),
      ['7.8', '7.8', '7.8', '9.1', '9.1', '9.1', '9.1', '9.1'],
    );
  });
});
