// Opens generated reports in a real headless Chromium: console errors, render and filter speed
// with 1,000 scenarios, deep links, matrix dialog, and a screenshot for humans to look at.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { renderHtml } from '../../src/report/html/index.js';
import { fixture, generateRun, tempDir } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const SCREENSHOT = new URL('../../reports/screenshots/html-report.png', import.meta.url).pathname;

function writeReport(html: string): string {
  const file = join(tempDir(), 'index.html');
  writeFileSync(file, html);
  return pathToFileURL(file).href;
}

/** A page that records console errors, page errors and any request that is not file: (none allowed). */
async function openPage(browser: Browser, problems: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) problems.push(`network request: ${r.url()}`);
  });
  return page;
}

describe('html report in Chromium', function () {
  this.timeout(60_000);
  let browser: Browser | undefined;

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      console.log(`      skipped: ${CHROMIUM} not found (apt-get install -y --no-install-recommends chromium)`);
      this.skip();
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  after(async () => browser?.close());

  it('renders 1,000 scenarios under 2 s, filters under 100 ms, opens deep links', async () => {
    const run = generateRun(1000);
    const failed = run.suites.flatMap((s) => s.scenarios).filter((s) => s.grade === 'failed');
    const failing = failed[20]!;
    failing.steps[0]!.exchange!.request.headers.authorization = 'Basic dGVzdDp0ZXN0';
    failed[21]!.steps[0]!.exchange!.response!.body += '<!-- </script><script>document.title="pwned"</script> -->';
    const url = writeReport(renderHtml(run));
    const problems: string[] = [];
    const page = await openPage(browser!, problems);

    const t0 = Date.now();
    await page.goto(url, { waitUntil: 'load' });
    const wallMs = Date.now() - t0;
    const renderMs = await page.evaluate(() => (window as unknown as { __calspecRenderMs: number }).__calspecRenderMs);
    assert.equal(await page.locator('details.sc').count(), 1000);
    assert.ok(renderMs < 2000, `rendered in ${renderMs} ms`);
    assert.notEqual(await page.title(), 'pwned');

    // The click handler filters synchronously; reading offsetHeight forces style and layout so the
    // measurement includes the browser's work, not only the script's.
    const filterMs = await page.evaluate(() => {
      const chip = document.querySelector<HTMLButtonElement>('#filter-chips .chip[data-grade="failed"]')!;
      const start = performance.now();
      chip.click();
      void document.body.offsetHeight;
      return performance.now() - start;
    });
    const visible = await page.locator('details.sc:not([hidden])').count();
    assert.equal(visible, run.summary.failed);
    assert.ok(filterMs < 100, `filtered in ${filterMs} ms`);
    const searchMs = await page.evaluate(() => {
      const start = performance.now();
      (window as unknown as { calspecFilter: (f: object) => number }).calspecFilter({ q: 'scenario 42' });
      void document.body.offsetHeight;
      return performance.now() - start;
    });
    assert.ok(searchMs < 100, `searched in ${searchMs} ms`);
    console.log(
      `      1,000 scenarios: render ${renderMs.toFixed(0)} ms in page (${wallMs} ms wall), ` +
        `grade filter ${filterMs.toFixed(1)} ms, search ${searchMs.toFixed(1)} ms`,
    );

    // Deep link to a failing scenario that the current filter hides: it must still open.
    await page.goto(`${url}#${encodeURIComponent(failing.key)}`);
    const detail = page.locator(`details[id="${failing.key}"] .detail`);
    await detail.waitFor();
    assert.equal(await page.locator(`details[id="${failing.key}"]`).getAttribute('open'), '');
    const text = await detail.innerText();
    assert.match(text, /REPORT http:\/\/localhost:5232\/u\/cal\//);
    assert.match(text, /207 Multi-Status/);
    assert.match(text, /<d:href>\/u\/cal\/case-\d+\.ics<\/d:href>/);
    assert.match(text, /authorization: Basic \[redacted\]/);
    assert.doesNotMatch(await page.content(), /dGVzdDp0ZXN0/);
    assert.match(text, /diff \(− expected, \+ actual\)/);

    await page.setViewportSize({ width: 1280, height: 1400 });
    await page.locator(`details[id="${failing.key}"]`).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('renders the load report with its SVG charts', async () => {
    const problems: string[] = [];
    const page = await openPage(browser!, problems);
    await page.goto(writeReport(renderHtml(fixture('load'))));
    assert.equal(await page.locator('svg.chart').count(), 3);
    assert.equal(await page.locator('table.labels tbody tr').count(), 4);
    assert.match(await page.locator('table.labels').innerText(), /sync-collection\s+27100/);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("renders the matrix and opens a cell as that run's scenario detail", async () => {
    const problems: string[] = [];
    const page = await openPage(browser!, problems);
    await page.goto(writeReport(renderHtml(fixture('matrix'))));
    assert.equal(await page.locator('table.matrix td.cell').count(), 8 * 3);
    await page.locator('table.matrix tr', { hasText: 'time-range-basic' }).locator('td.cell').first().click();
    const dialog = page.locator('dialog#cell-detail');
    await dialog.waitFor();
    const text = await dialog.innerText();
    assert.match(text, /on radicale/);
    assert.match(text, /hrefs are exactly the events overlapping the range/);
    assert.match(text, /outside\.ics/);
    await dialog.locator('button.close').click();
    assert.equal(await dialog.isVisible(), false);
    await page.locator('#only-diff').check();
    assert.equal(await page.locator('table.matrix tbody tr:not(.grp):not([hidden])').count(), 5);
    assert.deepEqual(problems, []);
    await page.close();
  });
});
