// Every report shows the run's capabilities: results.json validates with them, the console prints
// one line per capability that is not present, Markdown a short table, JUnit <property> entries on
// the suites that need them (still valid against junit.xsd), HTML a collapsed section.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import { chromium } from 'playwright-core';
import type { CapabilityReport, RunResults } from '../../src/model/result.js';
import { ConsoleReporter } from '../../src/report/console.js';
import { renderHtml } from '../../src/report/html/index.js';
import { renderJUnit } from '../../src/report/junit.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { fixture, tempDir } from './helpers.js';

const CAPABILITIES: CapabilityReport = {
  probed: true,
  probeMs: 3812,
  requestCount: 54,
  capabilities: [
    {
      feature: 'lock',
      state: 'absent',
      source: 'probe',
      evidence: 'LOCK refused with 405 (no DAV class 2)',
      requests: [
        { method: 'OPTIONS', url: '/cal/', status: 200 },
        { method: 'LOCK', url: '/cal/calspec-x-probe/a.ics', status: 405 },
      ],
    },
    {
      feature: 'sync-collection',
      state: 'broken',
      source: 'probe',
      evidence: 'initial REPORT refused with 403 | pipe, yet DAV:supported-report-set lists sync-collection',
    },
    { feature: 'expand', state: 'present', source: 'profile', evidence: 'profile x sets expand: true' },
    { feature: 'vtodo', state: 'present', source: 'default', evidence: 'not probed: --no-probe; assumed present' },
  ],
};

function withCapabilities(): RunResults {
  const run = structuredClone(fixture('run'));
  run.capabilities = structuredClone(CAPABILITIES);
  // One scenario of the fixture needs lock, so its suite carries the lock property.
  run.suites[0]!.scenarios[0]!.requires = ['lock'];
  return run;
}

describe('reports: capabilities', () => {
  it('results.json with capabilities validates against the schema; a wrong state does not', () => {
    const schema = JSON.parse(readFileSync(new URL('../../schemas/results.schema.json', import.meta.url), 'utf8'));
    const validate = new Ajv({ strict: true, validateFormats: false }).compile(schema as object);
    const run = withCapabilities();
    assert.equal(validate(run), true, JSON.stringify(validate.errors));
    (run.capabilities!.capabilities[0] as { state: string }).state = 'missing';
    assert.equal(validate(run), false);
  });

  it('console: the headline and one line per capability that is not present', () => {
    let out = '';
    new ConsoleReporter({ write: (t) => (out += t), color: false }).onRunEnd(withCapabilities());
    assert.match(out, /4 capabilities needed: 2 present, 1 absent, 1 broken; probed in 3\.8 s \(54 requests\)/);
    assert.match(out, /^ {2}- lock absent \(probe\): LOCK refused with 405 \(no DAV class 2\)$/m);
    assert.match(out, /^ {2}! sync-collection broken \(probe\): /m);
    assert.doesNotMatch(out, /expand present/);
  });

  it('markdown: a short table of the capabilities that are not present, escaped', () => {
    const md = renderMarkdown(withCapabilities());
    assert.match(md, /### Capabilities/);
    assert.match(md, /\| lock \| absent \| probe \| LOCK refused with 405 \(no DAV class 2\) \|/);
    assert.match(md, /403 \\\| pipe/, 'a | in the evidence cannot break the table');
    assert.doesNotMatch(md, /\| expand \|/);
    assert.doesNotMatch(renderMarkdown(fixture('run')), /Capabilities/, 'old results render as before');
  });

  it('junit: capability properties on the suites that need them, valid against junit.xsd', function () {
    const xml = renderJUnit(withCapabilities());
    assert.match(xml, /<property name="capability\.lock" value="absent \(probe\): LOCK refused with 405/);
    assert.match(xml, /<property name="capabilities\.probeMs" value="3812"\/>/);
    assert.doesNotMatch(xml, /capability\.vtodo/, 'no suite needs vtodo');
    assert.doesNotMatch(xml, /<testsuites[^>]*>\s*<properties>/, 'no properties on <testsuites>');
    if (spawnSync('xmllint', ['--version']).status !== 0) return this.skip();
    const file = join(tempDir(), 'junit.xml');
    writeFileSync(file, xml);
    const xsd = new URL('../../schemas/junit.xsd', import.meta.url).pathname;
    execFileSync('xmllint', ['--noout', '--schema', xsd, file], { stdio: 'pipe' });
  });

  it('html: a collapsed capabilities section, not-present first, with the requests', async function () {
    this.timeout(60_000);
    if (!existsSync('/usr/bin/chromium')) return this.skip();
    const file = join(tempDir(), 'index.html');
    writeFileSync(file, renderHtml(withCapabilities()));
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pathToFileURL(file).href);
      const section = page.locator('details#capabilities');
      assert.equal(await section.getAttribute('open'), null, 'collapsed');
      assert.match(await section.locator('summary').first().innerText(), /4 needed, 2 present, 1 absent, 1 broken/);
      const states = await section
        .locator('tbody tr')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-state')));
      assert.deepEqual(states, ['absent', 'broken', 'present', 'present']);
      assert.match(
        (await section.locator('tbody tr').first().textContent()) ?? '',
        /LOCK \/cal\/calspec-x-probe\/a\.ics → 405/,
      );
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  });
});
