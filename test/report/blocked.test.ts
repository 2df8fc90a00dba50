// Every format knows the blocked grade: counted on its own, never shown as a failure, its reason
// (the failed setup operation and the scenario that tests it) visible; JUnit stays junit-10 valid;
// results written before the grade existed still validate and re-render.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import { chromium } from 'playwright-core';
import type { MatrixResults, RunResults, ScenarioResult } from '../../src/model/result.js';
import { ConsoleReporter } from '../../src/report/console.js';
import { renderHtml } from '../../src/report/html/index.js';
import { renderJUnit } from '../../src/report/junit.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { buildMatrix, gradeToCell } from '../../src/report/matrix-table.js';
import { readResults, rerender } from '../../src/report/rerender.js';
import { fixture, tempDir } from './helpers.js';

const REASON =
  'setup failed: PUT /cal/a.ics: status is 201: expected 201, got 200 ' +
  '(rfc4791/5.3.2/put-event-created tests PUT directly)';

/** The run fixture plus one blocked scenario (with the setup exchange that failed). */
function withBlocked(): RunResults {
  const run = structuredClone(fixture('run'));
  const template = run.suites[0]!.scenarios[0]!;
  const blocked: ScenarioResult = {
    ...structuredClone(template),
    key: 'rfc4791/7.8/blocked-by-put',
    id: 'blocked-by-put',
    title: 'a query that never ran',
    grade: 'blocked',
    reason: REASON,
    steps: [structuredClone(template.steps[0]!)],
  };
  const setup = blocked.steps[0]!;
  setup.exchange!.response!.status = 200;
  setup.checks = [{ kind: 'status', ok: false, description: 'status is 201', expected: ['201'], actual: '200' }];
  delete blocked.baselineReason;
  run.suites[0]!.scenarios.push(blocked);
  run.summary.blocked = 1;
  return run;
}

describe('reports: the blocked grade', () => {
  it('console: counted, listed after the failures with its reason, and not among them', () => {
    let out = '';
    new ConsoleReporter({ color: false, write: (t) => (out += t) }).onRunEnd(withBlocked());
    assert.match(out, /, 1 blocked,/);
    const failures = out.indexOf('Failures');
    const blocked = out.indexOf('Blocked: setup failed, so these requirements were not tested (not failures): 1');
    assert.ok(failures >= 0 && blocked > failures, out);
    assert.ok(out.includes(`⊘ rfc4791/7.8/blocked-by-put: ${REASON}`));
    assert.doesNotMatch(out.slice(failures, blocked), /blocked-by-put/);
  });

  it('console: a long list is cut, with the count of the rest', () => {
    const run = withBlocked();
    const one = run.suites[0]!.scenarios.at(-1)!;
    for (let i = 0; i < 30; i++) run.suites[0]!.scenarios.push({ ...one, key: `${one.key}-${i}` });
    let out = '';
    new ConsoleReporter({ color: false, write: (t) => (out += t) }).onRunEnd(run);
    assert.equal((out.match(/ ⊘ /g) ?? []).length, 20);
    assert.match(out, /… and 11 more/);
  });

  it('junit: <skipped message="blocked: …"/> with the setup exchange, counted as skipped, junit-10 valid', function () {
    const xml = renderJUnit(withBlocked());
    const testcase = /<testcase name="rfc4791\/7\.8\/blocked-by-put[^>]*>([\s\S]*?)<\/testcase>/.exec(xml)?.[1];
    assert.ok(testcase, xml);
    assert.ok(testcase.startsWith(`<skipped message="blocked: ${REASON}"/><system-out>`), testcase);
    assert.match(
      testcase,
      /&gt; PUT http:\/\/localhost:5232\/alice\/cal\/inside\.ics/,
      'the exchange of the failed setup step',
    );
    assert.doesNotMatch(testcase, /<failure|<error/);
    assert.match(xml, /<testsuite name="rfc4791\/7\.8" tests="4" failures="1" errors="0" skipped="1"/);
    if (spawnSync('xmllint', ['--version']).status !== 0) return this.skip();
    const file = join(tempDir(), 'junit.xml');
    writeFileSync(file, xml);
    const xsd = new URL('../../schemas/junit.xsd', import.meta.url).pathname;
    execFileSync('xmllint', ['--noout', '--schema', xsd, file], { stdio: 'pipe' });
  });

  it('markdown: its own column and a folded list, not under new failures', () => {
    const md = renderMarkdown(withBlocked());
    assert.match(md, /\| 🚧 blocked \|/);
    assert.match(md, /<details><summary>Blocked: setup failed, requirement not tested \(1\)<\/summary>/);
    assert.match(md, /- 🚧 `rfc4791\/7\.8\/blocked-by-put` a query that never ran — setup failed: PUT \/cal\/a\.ics/);
    const failures = md.slice(md.indexOf('### New failures'), md.indexOf('<details>'));
    assert.doesNotMatch(failures, /blocked-by-put/);
  });

  it('matrix: a blocked cell, and blocked as a column of the summary (also for runs from before it)', () => {
    assert.equal(gradeToCell('blocked'), 'blocked');
    const older = withBlocked();
    delete (older.summary as Partial<RunResults['summary']>).blocked;
    older.suites[0]!.scenarios.at(-1)!.grade = 'failed';
    const m: MatrixResults = {
      schemaVersion: 1,
      kind: 'matrix',
      tool: { name: 'calspec', version: '0' },
      generatedAt: '2026-01-01T00:00:00Z',
      runs: [withBlocked(), older],
    };
    const row = buildMatrix(m).rows.find((r) => r.key === 'rfc4791/7.8/blocked-by-put')!;
    assert.deepEqual(row.cells, ['blocked', 'fail']);
    const md = renderMarkdown(m);
    assert.match(md, /\| 💥 errored \| 🚧 blocked \| 🔕 expected-fail \|/);
    assert.doesNotMatch(md, /undefined/);
    assert.match(md, /\| `rfc4791\/7\.8\/blocked-by-put` \| 🚧 \| ❌ \|/);
  });

  it('results schema: accepts the blocked grade and count, and results written before it', () => {
    const schema = (n: string) => JSON.parse(readFileSync(new URL(`../../schemas/${n}`, import.meta.url), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: true, validateFormats: false });
    const validate = ajv.compile(schema('results.schema.json') as object);
    assert.equal(validate(withBlocked()), true, ajv.errorsText(validate.errors));
    const older = structuredClone(fixture('run'));
    delete (older.summary as Partial<RunResults['summary']>).blocked;
    assert.equal(validate(older), true, ajv.errorsText(validate.errors));
    const wrong = withBlocked();
    wrong.suites[0]!.scenarios.at(-1)!.grade = 'blockd' as 'blocked';
    assert.equal(validate(wrong), false);
  });

  it('calspec report: re-renders a run with blocked scenarios, and fills the count into older files', async () => {
    const dir = tempDir();
    const file = join(dir, 'in.json');
    writeFileSync(file, JSON.stringify(withBlocked()));
    await rerender(file, ['junit', 'markdown']);
    assert.match(readFileSync(join(dir, 'junit.xml'), 'utf8'), /<skipped message="blocked: setup failed/);
    const older = structuredClone(fixture('run'));
    delete (older.summary as Partial<RunResults['summary']>).blocked;
    writeFileSync(file, JSON.stringify(older));
    assert.equal(((await readResults(file)) as RunResults).summary.blocked, 0);
  });

  it('html: a blocked chip that filters, coloured, with the reason on the row', async function () {
    if (spawnSync('/usr/bin/chromium', ['--version']).status !== 0) return this.skip();
    const file = join(tempDir(), 'index.html');
    writeFileSync(file, renderHtml(withBlocked()));
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(file).href);
      const chip = page.locator('#filter-chips .chip[data-grade="blocked"]');
      assert.equal((await chip.innerText()).replace(/\s+/g, ' ').trim(), 'blocked 1');
      await chip.click();
      assert.equal(await page.locator('details.sc:not([hidden])').count(), 1);
      const row = page.locator('details.sc.g-blocked');
      assert.match(await row.innerText(), /blocked[\s\S]*put-event-created tests PUT directly/);
      const colour = await row.locator('.badge').evaluate((el) => getComputedStyle(el).backgroundColor);
      assert.notEqual(colour, 'rgba(0, 0, 0, 0)', 'the grade has its own colour');
    } finally {
      await browser.close();
    }
  });
});
