// The run page leads with what matters (issue 16 item 4): verdict and failures on the first screen,
// coverage collapsed, and passing scenarios' exchanges left out so the page grows with what failed.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { renderHtml } from '../../src/report/html/index.js';
import type { CoverageRow, RunResults } from '../../src/model/result.js';
import { fixture, generateRun, tempDir } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'];
const SCREENSHOTS = new URL('../../reports/screenshots/', import.meta.url).pathname;
const VIEWPORT = { width: 1280, height: 800 };

function payload(html: string): { data: RunResults; omittedExchanges?: number } {
  const m = /<script type="application\/json" id="calspec-data">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(m, 'data script present');
  return JSON.parse(m[1]!) as { data: RunResults; omittedExchanges?: number };
}

/**
 * A large run where almost everything passed: 400 generated scenarios turned to passed, then the
 * hand-written fixture's failing, errored, expected-fail... scenarios, and a long coverage table
 * (the one that used to fill the first screen).
 */
function mostlyPassing(failing: boolean): RunResults {
  const run = generateRun(400);
  for (const s of run.suites.flatMap((x) => x.scenarios)) {
    s.grade = 'passed';
    delete s.reason;
    delete s.baselineReason;
    for (const st of s.steps) {
      st.checks = st.checks.filter((c) => c.ok);
      delete st.error;
    }
  }
  const extra = fixture('run').suites;
  if (failing)
    run.suites.push(...extra.map((s) => ({ ...s, scenarios: s.scenarios.filter((x) => x.grade !== 'passed') })));
  run.summary = { ...run.summary, passed: 400, failed: 0, errored: 0, 'expected-fail': 0, 'non-strict': 0 };
  run.summary.informational = run.summary.skipped = run.summary.fixed = 0;
  for (const s of run.suites.flatMap((x) => x.scenarios)) if (s.grade !== 'passed') run.summary[s.grade]++;
  // Real runs name the RFC by its number alone ("4791"); the page must still label it "RFC 4791".
  for (const suite of run.suites) {
    suite.rfc = suite.rfc.replace(/^rfc/, '');
    for (const s of suite.scenarios) s.rfc = s.rfc.replace(/^rfc/, '');
  }
  run.exitCode = failing ? 1 : 0;
  const coverage: CoverageRow[] = [];
  for (let i = 0; i < 80; i++)
    coverage.push({
      rfc: 'rfc4791',
      section: `9.${i}`,
      total: 4,
      testable: 3,
      covered: 2,
      uncovered: [`rfc4791#9.${i}.1`],
    });
  run.coverage = coverage;
  return run;
}

describe('html report: first screen and page size', function () {
  this.timeout(60_000);

  it('leaves the exchanges of passing scenarios out, keeps the failing ones, and says so', () => {
    const run = mostlyPassing(true);
    const html = renderHtml(run);
    const p = payload(html);
    const scenarios = p.data.suites.flatMap((s) => s.scenarios);
    const passing = scenarios.filter((s) => s.grade === 'passed');
    assert.ok(passing.length >= 400);
    assert.ok(
      passing.every((s) => s.steps.every((st) => !st.exchange)),
      'no exchange of a passing scenario',
    );
    assert.ok(
      passing.every((s) => s.steps.every((st) => st.checks.length > 0)),
      'checks stay',
    );
    const failed = scenarios.find((s) => s.grade === 'failed')!;
    assert.ok(
      failed.steps.every((st) => st.exchange),
      'failing scenario keeps every exchange, passing steps too',
    );
    const withExchange = run.suites.flatMap((x) => x.scenarios).filter((s) => s.grade === 'passed' && s.steps.length);
    assert.equal(p.omittedExchanges, withExchange.length);
    // The caller's results (what results.json is written from) still hold every exchange.
    assert.ok(run.suites[0]!.scenarios[0]!.steps[0]!.exchange);
    const full = renderHtml(run, { allExchanges: true });
    assert.ok(payload(full).data.suites[0]!.scenarios[0]!.steps[0]!.exchange);
    assert.equal(payload(full).omittedExchanges, undefined);
    assert.ok(html.length < full.length / 2, `${html.length} bytes vs ${full.length} with every exchange`);
  });

  describe('in Chromium', () => {
    let browser: Browser | undefined;
    before(async function () {
      if (!existsSync(CHROMIUM)) {
        console.log(`      skipped: ${CHROMIUM} not found`);
        this.skip();
      }
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    });
    after(async () => browser?.close());

    async function open(run: RunResults, problems: string[]) {
      const file = join(tempDir(), 'index.html');
      writeFileSync(file, renderHtml(run));
      const page = await browser!.newPage({ viewport: VIEWPORT });
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      await page.goto(pathToFileURL(file).href);
      return page;
    }

    it('a failing run shows the verdict and the failures by section on the first screen', async () => {
      const problems: string[] = [];
      const page = await open(mostlyPassing(true), problems);
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, 'failing-first-screen.png') });

      const status = page.locator('#status');
      assert.match(await status.innerText(), /^Regressed: 2 unexpected failures/);
      assert.match(await status.innerText(), /1 expected by the baseline/);
      const failures = page.locator('#failures');
      const box = (await failures.boundingBox())!;
      assert.ok(box.y < VIEWPORT.height / 2, `failures start at ${box.y}px`);
      // The first unexpected failure itself is visible without scrolling, under its RFC section.
      const first = (await failures.locator('li').first().boundingBox())!;
      assert.ok(first.y + first.height < VIEWPORT.height, `first failure ends at ${first.y + first.height}px`);
      const text = await failures.innerText();
      assert.match(text, /Unexpected failures \(2\)\s+RFC 4791 §7\.8\s+failed calendar-query with a time-range/);
      assert.match(text, /RFC 4918 §9\.1\s+errored/);
      assert.match(text, /Expected by the baseline, SHOULD-level or blocked \(2\)/);

      const coverage = page.locator('details#coverage');
      assert.equal(await coverage.getAttribute('open'), null, 'coverage collapsed');
      assert.equal(await coverage.locator('table').isVisible(), false);
      assert.ok((await coverage.boundingBox())!.y > box.y, 'coverage comes after the failures');
      assert.match(
        await page.locator('#omitted-note').innerText(),
        /\d+ exchanges of passing scenarios .* results\.json/,
      );

      // A failure's link opens its row; a passing row says where its exchanges went.
      await failures.locator('a').first().click();
      await page.locator('details[id="rfc4791/7.8/time-range-basic"] .detail').waitFor();
      const passing = page.locator('details.sc.g-passed').first();
      await passing.locator('summary').click();
      assert.match(await passing.locator('.omitted').innerText(), /not in this page; see results\.json/);
      assert.deepEqual(problems, []);
      await page.close();
    });

    it('a clean run says so first', async () => {
      const problems: string[] = [];
      const page = await open(mostlyPassing(false), problems);
      assert.match(await page.locator('#status').innerText(), /^No regression: no unexpected failure/);
      assert.equal(await page.locator('#status.clean').count(), 1);
      assert.match(await page.locator('#failures').innerText(), /Unexpected failures \(0\)\s+None/);
      assert.deepEqual(problems, []);
      await page.close();
    });
  });
});
