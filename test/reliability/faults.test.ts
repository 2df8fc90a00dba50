// Hostile servers (issue: reliability and safety): the probe suite runs through the fault proxy in
// front of the reference server, one fault at a time. For each: the affected scenario is errored or
// failed with one line naming the request, the other scenarios still pass, nothing is left on the
// server, the exit code is right, and nothing hangs.
import assert from 'node:assert/strict';
import { startReferenceServer, type RunningServer } from '../../src/server/index.js';
import { runConformance } from '../../src/engine/runner.js';
import { CalspecError } from '../../src/model/exit-codes.js';
import {
  startCanary,
  startFaultProxy,
  type FaultAction,
  type FaultProxy,
  type FaultRule,
} from '../helpers/fault-proxy.js';
import { assertNamesRequest, listing, PROBE_SUITES, probeRun } from './helpers.js';

const USER = { user: 'test', password: 'rel-pw-Qx7', kind: 'basic' as const };
const CAL = /\/calendars\/test\/calspec-[^/]+\//;
/**
 * rel-propfind's own PROPFIND: its calendar has token 001, and the first PROPFIND there is the
 * runner's check that the scenario calendar is a calendar (a fault on that one blocks the scenario).
 */
const REL_PROPFIND = { method: 'PROPFIND', path: /\/calendars\/test\/calspec-[^/]+-001\/$/, nth: 2 };
const respond = (status: number, body: string, type = 'application/xml; charset=utf-8'): FaultAction => ({
  kind: 'respond',
  status,
  body,
  headers: { 'content-type': type },
});

const XXE = (canary: string) =>
  `<?xml version="1.0"?>
<!DOCTYPE d:multistatus [<!ENTITY xxe SYSTEM "${canary}">]>
<d:multistatus xmlns:d="DAV:"><d:response><d:href>&xxe;</d:href>` +
  `<d:status>HTTP/1.1 200 OK</d:status></d:response></d:multistatus>`;
const BOMB =
  `<?xml version="1.0"?>
<!DOCTYPE d:multistatus [<!ENTITY a "aaaaaaaaaa">` +
  Array.from(
    { length: 9 },
    (_, i) => `<!ENTITY ${String.fromCharCode(98 + i)} "${`&${String.fromCharCode(97 + i)};`.repeat(10)}">`,
  ).join('') +
  `]>
<d:multistatus xmlns:d="DAV:"><d:response><d:href>&j;</d:href></d:response></d:multistatus>`;

describe('reliability: hostile server faults (fault proxy → reference server)', function () {
  this.timeout(30_000);
  let server: RunningServer;
  let proxy: FaultProxy;
  let canary: Awaited<ReturnType<typeof startCanary>>;
  let home: string;
  let homeBefore: string[];

  before(async () => {
    server = await startReferenceServer({
      port: 0,
      users: [{ name: USER.user, password: USER.password }],
      quiet: true,
    });
    proxy = await startFaultProxy({ upstream: server.url, seed: 4791 });
    canary = await startCanary();
    home = new URL('/calendars/test/', server.url).toString();
    homeBefore = await listing(home, USER);
  });
  after(async () => {
    await proxy?.close();
    await canary?.close();
    await server?.stop();
  });
  afterEach(async () => {
    // Cleanup ran whatever the fault: the home holds exactly what it held before.
    assert.deepEqual(await listing(home, USER), homeBefore, 'calendar home unchanged');
    assert.equal(canary.hits(), 0, 'no external entity or cross-origin fetch');
  });

  /** Run with one rule; the named scenario is hit, every other one passes. */
  async function hit(
    rule: FaultRule,
    scenario: string,
    grade: 'errored' | 'failed' | 'blocked',
    method: string,
    path: RegExp | string = CAL,
  ) {
    proxy.setRules([rule]);
    const t0 = Date.now();
    const { results, all, byId } = await probeRun(proxy.url, [USER], { maxBodyBytes: 1024 * 1024 });
    assert.ok(
      proxy.faultsFired() > 0 || rule.action.kind === 'close-after' || rule.action.kind === 'headers',
      'the fault fired',
    );
    const target = byId(scenario);
    assert.equal(target.grade, grade, `${scenario}: ${target.reason}`);
    assertNamesRequest(target.reason, method, path);
    for (const other of all.filter((r) => r.id !== scenario))
      assert.equal(other.grade, 'passed', `${other.id} unaffected: ${other.reason}`);
    // Blocked alone (setup failed; the requirement was not tested) does not fail a run.
    assert.equal(results.exitCode, grade === 'blocked' ? 0 : 1);
    assert.deepEqual(results.cleanup.leftover, []);
    assert.ok(Date.now() - t0 < 10_000, 'bounded');
    return target;
  }

  it('connection reset when the request arrives → errored, names the request', async () => {
    const r = await hit(
      { method: 'GET', action: { kind: 'reset' } },
      'rel-put-get',
      'errored',
      'GET',
      /\/calendars\/test\/calspec-[^/]+\/calspec-[^/]+-e\.ics/,
    );
    assert.match(r.reason!, /connection reset/);
  });

  it('server stalls past the timeout → errored "timed out", the run goes on', async () => {
    const r = await hit({ method: 'REPORT', action: { kind: 'stall' } }, 'rel-report', 'errored', 'REPORT');
    assert.match(r.reason!, /timed out after 1500 ms/);
  });

  it('server stalls in the middle of the body → errored "timed out"', async () => {
    const r = await hit(
      { method: 'REPORT', action: { kind: 'stall-body', bytes: 40 } },
      'rel-report',
      'errored',
      'REPORT',
    );
    assert.match(r.reason!, /timed out/);
  });

  it('truncated body (Content-Length larger than sent) → errored', async () => {
    const r = await hit({ method: 'REPORT', action: { kind: 'truncate' } }, 'rel-report', 'errored', 'REPORT');
    assert.match(r.reason!, /connection reset|closed/);
  });

  it('lost MKCALENDAR response (created, answer cut) → blocked, and the calendar is still cleaned up', async () => {
    const r = await hit(
      { method: 'MKCALENDAR', nth: 1, action: { kind: 'truncate', bytes: 0 } },
      'rel-put-get',
      'blocked',
      'MKCALENDAR',
    );
    assert.match(r.reason!, /could not create the scenario calendar/);
  });

  it('malformed 207 → failed with the parser position', async () => {
    const r = await hit(
      { method: 'REPORT', action: respond(207, '<d:multistatus xmlns:d="DAV:"><d:response>') },
      'rel-report',
      'failed',
      'REPORT',
      /\$\{cal\}/,
    );
    assert.match(r.reason!, /malformed XML at \d+:\d+/);
  });

  it('non-XML 207 (HTML error page) → failed', async () => {
    const r = await hit(
      { method: 'REPORT', action: respond(207, '<html><body>Oops</body></html>', 'text/html') },
      'rel-report',
      'failed',
      'REPORT',
      /\$\{cal\}/,
    );
    assert.match(r.reason!, /got html|multistatus/);
  });

  it('garbage instead of HTTP → errored', async () => {
    await hit(
      { method: 'GET', action: { kind: 'raw', data: 'SSH-2.0-OpenSSH\r\n\r\n' } },
      'rel-put-get',
      'errored',
      'GET',
    );
  });

  it('external entity in a 207 → refused, the canary is never contacted', async () => {
    const r = await hit(
      { method: 'REPORT', action: respond(207, XXE(canary.url)) },
      'rel-report',
      'failed',
      'REPORT',
      /\$\{cal\}/,
    );
    assert.match(r.reason!, /DOCTYPE declaration is refused/);
  });

  it('entity-expansion bomb in a 207 → refused at once, memory flat', async () => {
    const rss = process.memoryUsage().rss;
    const r = await hit(
      { ...REL_PROPFIND, action: respond(207, BOMB) },
      'rel-propfind',
      'failed',
      'PROPFIND',
      /\$\{cal\}/,
    );
    assert.match(r.reason!, /DOCTYPE declaration is refused/);
    assert.ok(process.memoryUsage().rss - rss < 64 * 1024 * 1024);
  });

  it('a 300 MB body is cut at --max-body: errored, proxy stopped early, memory bounded', async () => {
    const huge = 300 * 1024 * 1024;
    const sentBefore = proxy.hugeBytesSent;
    globalThis.gc?.();
    const rss = process.memoryUsage().rss;
    const r = await hit({ method: 'REPORT', action: { kind: 'huge', bytes: huge } }, 'rel-report', 'errored', 'REPORT');
    assert.match(r.reason!, /exceeds the 1 MiB cap \(--max-body\)/);
    const sent = proxy.hugeBytesSent - sentBefore;
    const growth = process.memoryUsage().rss - rss;
    assert.ok(sent < 32 * 1024 * 1024, `calspec stopped reading: ${sent} bytes sent of ${huge}`);
    assert.ok(growth < 96 * 1024 * 1024, `RSS growth ${Math.round(growth / 1e6)} MB`);
  });

  it('chunked huge body (no Content-Length) is cut the same way', async () => {
    const r = await hit(
      { method: 'REPORT', action: { kind: 'huge', bytes: 200 * 1024 * 1024, chunked: true } },
      'rel-report',
      'errored',
      'REPORT',
    );
    assert.match(r.reason!, /cap/);
  });

  it('503 in the middle of a scenario → failed with the status; a 401 mid-run → failed', async () => {
    const r = await hit(
      { method: 'PUT', path: /r\.ics$/, action: respond(503, 'busy', 'text/plain') },
      'rel-report',
      'failed',
      'PUT',
      /\$\{cal\}\$\{obj\}r\.ics/,
    );
    assert.match(r.reason!, /got 503/);
    const u = await hit(
      {
        method: 'OPTIONS',
        path: CAL,
        action: { kind: 'respond', status: 401, headers: { 'www-authenticate': 'Basic realm="x"' } },
      },
      'rel-options',
      'failed',
      'OPTIONS',
      /\$\{cal\}/,
    );
    assert.match(u.reason!, /got 401/);
  });

  it('keep-alive connections closed after every response → nothing breaks', async () => {
    proxy.setRules([{ action: { kind: 'close-after' } }]);
    const { results } = await probeRun(proxy.url, [USER]);
    assert.equal(results.exitCode, 0, JSON.stringify(results.summary));
  });

  it('wrong Content-Type or unknown charset on a 207 → still judged on the body', async () => {
    proxy.setRules([
      {
        method: 'REPORT',
        action: { kind: 'headers', set: { 'content-type': 'text/plain; charset=x-no-such-charset' } },
      },
    ]);
    assert.equal((await probeRun(proxy.url, [USER])).results.exitCode, 0);
    proxy.setRules([
      {
        ...REL_PROPFIND,
        action: { kind: 'headers', set: { 'content-type': 'application/xml; charset=utf-16le' } },
      },
    ]);
    const { byId } = await probeRun(proxy.url, [USER]);
    assert.equal(byId('rel-propfind').grade, 'failed', 'a body decoded with the declared (wrong) charset is not XML');
  });

  it('random 5xx on 20% of scenario requests (seeded): every scenario graded, cleanup complete', async () => {
    // Cleanup DELETEs are spared here (three 500s in a row would rightly leave a recorded leftover).
    proxy.setRules([
      { method: 'DELETE', action: { kind: 'pass' } },
      { name: 'random-500', path: CAL, probability: 0.2, action: respond(500, 'boom', 'text/plain') },
    ]);
    for (let i = 0; i < 3; i++) {
      const { results, all } = await probeRun(proxy.url, [USER]);
      assert.equal(all.length, 4);
      for (const r of all) if (r.grade !== 'passed') assert.ok(r.reason && !r.reason.includes('\n'), r.reason);
      assert.deepEqual(results.cleanup.leftover, [], 'cleanup DELETEs are retried after a 5xx');
    }
  });

  it('cleanup DELETE answered 503 twice → retried, nothing left', async () => {
    proxy.setRules([{ method: 'DELETE', nth: 1, times: 2, action: respond(503, 'busy', 'text/plain') }]);
    const { results } = await probeRun(proxy.url, [USER]);
    assert.equal(results.exitCode, 0);
    assert.deepEqual(results.cleanup.leftover, []);
  });

  it('a cross-origin redirect during discovery is followed without credentials', async () => {
    let auth: string | undefined = 'unset';
    const { createServer } = await import('node:http');
    const spy = createServer((req, res) => {
      auth = req.headers.authorization;
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => spy.listen(0, '127.0.0.1', resolve));
    const spyUrl = `http://127.0.0.1:${(spy.address() as { port: number }).port}/`;
    proxy.setRules([
      { method: 'PROPFIND', path: /^\/$/, action: { kind: 'respond', status: 301, headers: { location: spyUrl } } },
    ]);
    try {
      await probeRun(proxy.url, [USER]);
    } catch {
      // discovery may then fall back to /.well-known/caldav and succeed, or fail: either way...
    } finally {
      spy.close();
    }
    assert.equal(auth, undefined, 'no Authorization header sent to another origin');
  });

  describe('faults during discovery: exit 3 with a clear message before any scenario', () => {
    const discoveryFails = async (rules: FaultRule[], message: RegExp) => {
      proxy.setRules(rules);
      const requestsBefore = proxy.log.length;
      await assert.rejects(
        runConformance({ target: proxy.url, users: [USER], suites: PROBE_SUITES, timeoutMs: 1500 }),
        (e: unknown) =>
          e instanceof CalspecError && e.exitCode === 3 && message.test(e.message) && !e.message.includes('\n'),
      );
      assert.ok(!proxy.log.slice(requestsBefore).some((l) => /calspec-/.test(l.path)), 'no scenario request sent');
    };

    it('reset on OPTIONS', () =>
      discoveryFails([{ method: 'OPTIONS', action: { kind: 'reset' } }], /cannot reach .*connection reset/));
    it('stall on the principal PROPFIND', () =>
      discoveryFails([{ method: 'PROPFIND', action: { kind: 'stall' } }], /cannot reach .*timed out/));
    it('malformed 207 for the calendar home', () =>
      discoveryFails(
        [{ method: 'PROPFIND', path: /^\/principals\//, action: respond(207, '<d:multistatus xmlns:d="DAV:"><oops') }],
        /calendar-home-set|malformed/,
      ));
    it('external entity in the principal 207 (canary stays cold)', () =>
      discoveryFails(
        [{ method: 'PROPFIND', action: respond(207, XXE(canary.url)) }],
        /no current-user-principal|DOCTYPE/,
      ));
    it('401 on every request', () =>
      discoveryFails(
        [{ action: { kind: 'respond', status: 401, headers: { 'www-authenticate': 'Basic realm="x"' } } }],
        /authentication failed for user 'test'/,
      ));
  });
});
