// Check notes (informational, e.g. "server added CLASS:PUBLIC (the default, RFC 5545 §3.8.1.3)")
// reach every report: the results schema, JUnit, the console failure list and the HTML detail.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import { chromium } from 'playwright-core';
import { renderFailure } from '../../src/report/console.js';
import { renderHtml } from '../../src/report/html/index.js';
import { renderJUnit } from '../../src/report/junit.js';
import type { RunResults, ScenarioResult } from '../../src/model/result.js';
import { fixture, tempDir } from './helpers.js';

const NOTE = 'VEVENT: server added CLASS:PUBLIC (the default, RFC 5545 §3.8.1.3)';
const CHROMIUM = '/usr/bin/chromium';

/** The run fixture with a note on the check of the passed scenario and of the failed one. */
function runWithNotes(): { run: RunResults; passed: ScenarioResult; failed: ScenarioResult } {
  const run = fixture('run');
  const all = run.suites.flatMap((s) => s.scenarios);
  const passed = all.find((s) => s.grade === 'passed')!;
  const failed = all.find((s) => s.grade === 'failed')!;
  passed.steps[0]!.checks[0]!.notes = [NOTE];
  failed.steps.flatMap((st) => st.checks).find((c) => !c.ok)!.notes = [NOTE];
  return { run, passed, failed };
}

describe('check notes in reports', () => {
  it('the results schema accepts notes as a list of strings, and nothing else', () => {
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const schema = JSON.parse(readFileSync(new URL('../../schemas/results.schema.json', import.meta.url), 'utf8'));
    const validate = ajv.compile(schema as object);
    const { run, passed } = runWithNotes();
    assert.equal(validate(run), true, ajv.errorsText(validate.errors));
    (passed.steps[0]!.checks[0] as unknown as { notes: unknown }).notes = NOTE;
    assert.equal(validate(run), false);
  });

  it('JUnit lists the notes in system-out, for a passed scenario too', () => {
    const { run, passed } = runWithNotes();
    const xml = renderJUnit(run);
    const testcase = xml.slice(xml.indexOf(`name="${passed.key}:`));
    assert.match(testcase.slice(0, testcase.indexOf('</testcase>')), /<system-out>notes:\n {2}- VEVENT: server added/);
    if (spawnSync('xmllint', ['--version']).status === 0) {
      const file = join(tempDir(), 'junit.xml');
      writeFileSync(file, xml);
      const xsd = new URL('../../schemas/junit.xsd', import.meta.url).pathname;
      execFileSync('xmllint', ['--noout', '--schema', xsd, file], { stdio: 'pipe' });
    }
  });

  it('the console failure report prints the notes under the failed check', () => {
    const { failed } = runWithNotes();
    assert.match(renderFailure(failed, 1), /\n {9}note: VEVENT: server added CLASS:PUBLIC/);
  });

  it('the HTML scenario detail shows the notes', async function () {
    this.timeout(60_000);
    if (!existsSync(CHROMIUM)) this.skip();
    const { run, passed } = runWithNotes();
    const file = join(tempDir(), 'index.html');
    writeFileSync(file, renderHtml(run));
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox'] });
    try {
      const page = await browser.newPage();
      await page.goto(`${pathToFileURL(file).href}#${encodeURIComponent(passed.key)}`);
      const notes = page.locator(`details[id="${passed.key}"] .detail tr.notes`);
      await notes.waitFor();
      assert.match(await notes.innerText(), /server added CLASS:PUBLIC \(the default, RFC 5545 §3\.8\.1\.3\)/);
    } finally {
      await browser.close();
    }
  });
});
