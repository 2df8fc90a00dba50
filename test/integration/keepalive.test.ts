// Servers that stall on reused connections (issue #13): against the reference server with the
// keepalive-stall fault, a run notices at its start, switches keep-alive off, finishes quickly and
// says why in results.json, on the console and in the Markdown and HTML reports. Without the
// check, slow scenarios show the request times on their progress line.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import { chromium } from 'playwright-core';
import { loadSuites } from '../../src/suite/load.js';
import { loadProfile } from '../../src/profile/load.js';
import { ConsoleReporter } from '../../src/report/console.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderHtml } from '../../src/report/html/index.js';
import { REFERENCE_USERS, runOnReference } from '../helpers/reference-run.js';
import { runCommand } from '../../src/cli/run.js';
import { startReferenceServer } from '../../src/server/index.js';
import type { RunResults } from '../../src/model/result.js';
import { tempDir } from '../report/helpers.js';

const suites = loadSuites(['suites'], { fixturesDir: 'fixtures' });
// A few sections, every kind of request among them (PUT, REPORT, PROPFIND, MKCALENDAR...).
const FEW = /^rfc4791\/(5\.2|7\.9)\//;
const filter = (key: string) => FEW.test(key);

function consoleLines(): { reporter: ConsoleReporter; text: () => string } {
  let out = '';
  return { reporter: new ConsoleReporter({ color: false, write: (t) => (out += t) }), text: () => out };
}

describe('integration: servers that stall on reused connections', function () {
  this.timeout(60_000);
  const profile = loadProfile('reference');

  it('switches keep-alive off at the start, finishes quickly and reports why', async () => {
    const live = consoleLines();
    const t0 = Date.now();
    const results = await runOnReference(['keepalive-stall'], suites, {
      profile,
      filter,
      reporter: live.reporter,
    });
    const took = Date.now() - t0;
    const all = results.suites.flatMap((s) => s.scenarios);
    assert.ok(all.length >= 10, `${all.length} scenarios`);
    // With a 4 s stall on every reused request, keep-alive would cost several seconds a scenario.
    assert.ok(took < 30_000, `run took ${took} ms`);
    assert.deepEqual(
      all.filter((r) => !['passed', 'skipped', 'informational'].includes(r.grade)).map((r) => `${r.key}: ${r.grade}`),
      [],
      'a performance defect fails nothing',
    );
    const c = results.connection!;
    assert.equal(c.keepAlive, false);
    assert.equal(c.decidedBy, 'check');
    assert.ok(c.reusedMedianMs! > 4 * c.freshMedianMs!, JSON.stringify(c));
    assert.match(c.reason, /^reused connections .*, fresh ones in .*: switching keep-alive off \(--no-keep-alive\)$/);

    assert.match(live.text(), /\nnote: reused connections .* switching keep-alive off/);
    assert.ok(renderMarkdown(results).includes(`\nConnections: reused connections`), 'Markdown run header');

    const schema = JSON.parse(readFileSync('schemas/results.schema.json', 'utf8')) as Record<string, unknown>;
    const validate = new Ajv({ strict: false, validateFormats: false }).compile(schema);
    assert.ok(validate(JSON.parse(JSON.stringify(results))), JSON.stringify(validate.errors));

    // The HTML page renders its header in the browser: open it and read the line.
    const file = join(tempDir(), 'index.html');
    writeFileSync(file, renderHtml(results));
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(file).href);
      const dd = await page.locator('dt:text-is("Connections") + dd').textContent();
      assert.equal(dd, c.reason);
    } finally {
      await browser.close();
    }
  });

  it('keeps keep-alive on against the clean server, and --no-keep-alive skips the check', async () => {
    const clean = await runOnReference([], suites, { profile, filter: (k) => /^rfc4791\/5\.2\//.test(k) });
    assert.equal(clean.connection?.keepAlive, true);
    assert.equal(clean.connection?.decidedBy, 'check');
    assert.match(clean.connection!.reason, /^keep-alive on \(reused connections answer in/);
    // --no-keep-alive through the CLI: no check, and the run records the option.
    const server = await startReferenceServer({ port: 0, users: REFERENCE_USERS, quiet: true });
    const out = tempDir();
    const write = process.stdout.write;
    try {
      process.stdout.write = () => true;
      const code = await runCommand([
        ...['-t', server.url, '-u', 'test', '--password', REFERENCE_USERS[0]!.password, '-p', 'reference'],
        ...['-f', '^rfc4791/5\\.2/ctag-present$', '-r', 'json', '-o', out, '--no-keep-alive'],
      ]);
      assert.equal(code, 0);
    } finally {
      process.stdout.write = write;
      await server.stop();
    }
    const off = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunResults;
    assert.deepEqual(off.connection, {
      keepAlive: false,
      decidedBy: 'option',
      reason: 'keep-alive off (--no-keep-alive)',
    });
  });

  it('without the check, slow scenarios show the request times on their progress line', async () => {
    const saved = process.env.CALSPEC_KEEPALIVE_STALL_MS;
    process.env.CALSPEC_KEEPALIVE_STALL_MS = '1500';
    const live = consoleLines();
    try {
      await runOnReference(['keepalive-stall'], suites, {
        profile,
        jobs: 1,
        connectionCheck: false,
        filter: (k) => k === 'rfc4791/5.2/ctag-changes-on-create',
        reporter: live.reporter,
      });
    } finally {
      if (saved === undefined) delete process.env.CALSPEC_KEEPALIVE_STALL_MS;
      else process.env.CALSPEC_KEEPALIVE_STALL_MS = saved;
    }
    assert.match(
      live.text(),
      /ctag-changes-on-create \(\d+ ms\) · slow: requests so far take 1\.\d s \(median\), [\d.]+ s at most, \d+ req/,
    );
  });
});
