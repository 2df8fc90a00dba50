// Discovery as verdicts: when the principal/home bootstrap meets a WebDAV server whose answers break
// a requirement, `calspec run` (the real CLI, bin/calspec.js as built by `npm test`) still writes
// every report, fails the discovery scenario with the RFC section and the exchange, blocks the
// rest, and exits 1. Targets that are unreachable or do not speak WebDAV keep exit 3 and write nothing.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReferenceServer } from '../../src/server/index.js';
import { otherUserIn } from '../../src/dav/discovery-read.js';
import type { RunResults, ScenarioResult } from '../../src/model/result.js';
import type { CalspecError } from '../../src/model/exit-codes.js';
import { runConformance } from '../../src/engine/runner.js';
import { loadSuites } from '../../src/suite/load.js';
import { loadProfile } from '../../src/profile/load.js';
import { runOnReference } from '../helpers/reference-run.js';

const dir = mkdtempSync(join(tmpdir(), 'calspec-discovery-'));
const SUITES = ['suites/rfc5397', 'suites/rfc4791/6.2-principal-properties.yaml', 'suites/rfc4791/5.3.2-put.yaml'];
const USERS = [
  { name: 'test', password: 'test-pw-1' },
  { name: 'user1', password: 'user1-pw-2' },
];
const CREDS = ['-u', 'test', '--password', 'test-pw-1', '--user2', 'user1', '--password2', 'user1-pw-2'];

function calspec(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/calspec.js', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

async function runWith(fault: string, label: string, extra: string[] = [], creds = CREDS) {
  const server = await startReferenceServer({ port: 0, users: USERS, faults: [fault], quiet: true });
  const dirOut = join(dir, label);
  try {
    const r = await calspec(['run', '-t', server.url, ...creds, '-o', dirOut, '-q', ...extra, ...SUITES]);
    const file = join(dirOut, 'results.json');
    const results = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as RunResults) : undefined;
    return { ...r, dirOut, results, all: results?.suites.flatMap((s) => s.scenarios) ?? [] };
  } finally {
    await server.stop();
  }
}

type Run = Awaited<ReturnType<typeof runWith>>;

/** A plain HTTP server answering an HTML page to everything: not WebDAV at all. */
async function runHtml() {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html><body>Please log in</body></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const dirOut = join(dir, 'html');
  try {
    return {
      ...(await calspec(['run', '-t', `http://127.0.0.1:${port}/`, ...CREDS, '-o', dirOut, ...SUITES])),
      dirOut,
      port,
    };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

/** The one failed discovery scenario, every other one blocked behind it, all four reports written. */
function assertDiscoveryVerdict(run: Run, key: string, cite: string, rfcSection: [string, string]): ScenarioResult {
  assert.equal(run.code, 1, run.err);
  for (const f of ['results.json', 'junit.xml', 'index.html', 'summary.md'])
    assert.ok(existsSync(join(run.dirOut, f)), `${f} written`);
  const failed = run.all.filter((r) => r.grade === 'failed');
  assert.deepEqual(
    failed.map((r) => r.key),
    [key],
  );
  const verdict = failed[0]!;
  assert.deepEqual([verdict.rfc, verdict.section], rfcSection);
  const check = verdict.steps[0]!.checks[0]!;
  assert.ok(check.description.startsWith(cite), check.description);
  assert.ok(check.expected.length > 0 && check.actual.length > 0);
  assert.equal(verdict.steps[0]!.exchange?.response?.status, 207, 'the bootstrap exchange is recorded');
  const others = run.all.filter((r) => r.key !== key);
  assert.ok(others.length > 20, `${others.length} other scenarios`);
  for (const r of others) {
    assert.equal(r.grade, 'blocked', r.key);
    assert.ok(r.reason!.startsWith(`discovery failed — ${cite}: `), r.reason);
    assert.ok(r.reason!.endsWith(`(${key} tests it directly)`), r.reason);
  }
  assert.equal(run.results!.exitCode, 1);
  // The console names the scenario, its RFC section and what was expected.
  assert.ok(run.out.includes(`1) ${key}`), run.out);
  assert.ok(run.out.includes(cite), run.out);
  assert.match(run.out, /expected: /);
  return verdict;
}

describe('integration: discovery violations are verdicts', function () {
  this.timeout(60_000);
  // The three CLI runs start together: each spends most of its time starting node.
  let propstat: Run;
  let other: Run;
  let html: { code: number | null; out: string; err: string; dirOut: string; port: number };
  before(async () => {
    [propstat, other, html] = await Promise.all([
      runWith('propstat-no-status', 'propstat'),
      runWith('principal-other-user', 'other'),
      runHtml(),
    ]);
  });

  it('propstat-no-status: RFC 4918 §14.22 failed, the rest blocked, reports written, exit 1', () => {
    const v = assertDiscoveryVerdict(propstat, 'rfc4918/14.22/discovery-propstat-status', 'RFC 4918 §14.22', [
      '4918',
      '14.22',
    ]);
    assert.match(v.steps[0]!.checks[0]!.actual, /no DAV:status/);
    // Lenient: the values were still read, so the report shows where the principal and home are.
    assert.equal(propstat.results!.target.principal, '/principals/test/');
    assert.equal(propstat.results!.target.home, '/calendars/test/');
  });

  it('principal-other-user: RFC 5397 §3 failed (the principal names the other user), the rest blocked', () => {
    const v = assertDiscoveryVerdict(other, 'rfc5397/3/cup-differs-per-user', 'RFC 5397 §3', ['5397', '3']);
    assert.match(v.steps[0]!.checks[0]!.actual, /^\/principals\/user1\/, a path naming user 'user1'$/);
    assert.equal(v.steps.length, 1, 'the run stops at the first user');
  });

  it('current-user-principal-missing is no discovery violation (RFC 5397 is optional)', async () => {
    // Without a profile there is no way to the principal (exit 3); with one, the scenarios judge it.
    const suites = loadSuites(SUITES.slice(0, 2), { fixturesDir: 'fixtures' });
    await assert.rejects(runOnReference(['current-user-principal-missing'], suites), (e: CalspecError) => {
      assert.equal(e.exitCode, 3);
      assert.match(e.message, /no current-user-principal .* pass a --profile with layout\.principal/);
      return true;
    });
    const profiled = await runOnReference(['current-user-principal-missing'], suites, {
      profile: loadProfile('reference'),
    });
    assert.equal(profiled.exitCode, 1);
    const all = profiled.suites.flatMap((x) => x.scenarios);
    const grade = (key: string) => all.find((r) => r.key === key)?.grade;
    assert.equal(grade('rfc5397/3/cup-on-calendar'), 'failed');
    assert.equal(grade('rfc4918/14.22/discovery-propstat-status'), 'passed');
    assert.equal(grade('rfc5397/3/cup-is-principal-url'), 'passed');
    assert.ok(!all.some((r) => r.grade === 'blocked'));
  });

  it('an HTML server and an unreachable port still exit 3 with their own message and no report', async () => {
    assert.equal(html.code, 3, html.err);
    assert.match(html.err, /does not speak WebDAV: OPTIONS has no DAV header and PROPFIND answered 200 \(text\/html\)/);
    assert.ok(!existsSync(join(html.dirOut, 'results.json')));
    // The HTML server's port is closed now: refused, exit 3 (in-process: the CLI exits with the error's code).
    const suites = loadSuites(SUITES.slice(0, 1), { fixturesDir: 'fixtures' });
    const users = [{ user: 'test', password: 'x', kind: 'basic' as const }];
    const target = `http://127.0.0.1:${html.port}/`;
    await assert.rejects(runConformance({ target, users, suites }), (e: CalspecError) => {
      assert.equal(e.exitCode, 3);
      assert.match(e.message, /cannot reach http:\/\/127\.0\.0\.1:\d+\//);
      return true;
    });
  });

  it('a principal path is only charged to another user when it names them and not the user', () => {
    assert.equal(otherUserIn('/principals/user1/', 'test', ['user1']), 'user1');
    assert.equal(otherUserIn('/principals/test/', 'test', ['user1']), undefined);
    assert.equal(otherUserIn('/principals/users/Alice/', 'alice@example.org', ['bob']), undefined);
    assert.equal(otherUserIn('/p/5f2c9a/', 'test', ['user1']), undefined);
    assert.equal(otherUserIn('/principals/user1/', 'test', []), undefined);
    // A login that is also a path word of the server's own layout is not evidence against the user.
    assert.equal(otherUserIn('/dav/principals/users/test/', 'test', ['users']), undefined);
  });
});
