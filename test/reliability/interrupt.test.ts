// Interrupted runs through the CLI against `calspec serve` (a child process), with the fault proxy
// holding a request open so the signal lands mid-run deterministically: the first SIGINT/SIGTERM
// stops sending, cleans up within a bounded time, writes partial results marked interrupted, and
// exits 4; a second signal exits at once and lists what may be left, which `calspec cleanup` removes.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanupCommand } from '../../src/cli/cleanup.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { startCalspec, startServeChild, waitFor } from './child.js';
import { captured, listing } from './helpers.js';

const USER = { user: 'test', password: 'sig-pw-4', kind: 'basic' as const };
const dir = mkdtempSync(join(tmpdir(), 'calspec-rel-sig-'));

describe('reliability: interrupted runs (CLI against calspec serve)', function () {
  this.timeout(60_000);
  let serve: Awaited<ReturnType<typeof startServeChild>>;
  let proxy: FaultProxy;
  let home: string;
  let pristine: string[];

  before(async () => {
    serve = await startServeChild(`${USER.user}:${USER.password}`);
    proxy = await startFaultProxy({ upstream: serve.url });
    home = new URL('/calendars/test/', serve.url).toString();
    pristine = await listing(home, USER);
  });
  after(async () => {
    await proxy?.close();
    await serve?.stop();
  });

  const run = (out: string) =>
    startCalspec([
      'run',
      '-t',
      proxy.url,
      '-u',
      USER.user,
      '--password',
      USER.password,
      '-r',
      'console,json',
      '-o',
      out,
      '--timeout',
      '20000',
      '-j',
      '2',
      'test/reliability/suites',
    ]);
  const arrived = (method: string) => () => proxy.log.some((l) => l.method === method && /calspec-/.test(l.path));

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} mid-request: stops, cleans up, partial results marked interrupted, exit 4`, async () => {
      // The REPORT is held open by the proxy: the run is certainly in flight when the signal comes.
      proxy.setRules([{ method: 'REPORT', action: { kind: 'stall' } }]);
      proxy.log.length = 0;
      const out = join(dir, signal);
      const child = run(out);
      await waitFor(arrived('REPORT'), 20_000, 'the REPORT to reach the proxy');
      const t0 = Date.now();
      child.proc.kill(signal);
      const { code, at } = await child.exited;
      assert.equal(code, 4, child.err());
      assert.ok(at - t0 < 8000, `cleanup within a bounded time (${at - t0} ms)`);
      assert.match(child.err(), new RegExp(`${signal}: stopping; cleaning up what this run created`));
      const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
      assert.equal(results.interrupted, true);
      assert.equal(results.exitCode, 4);
      assert.deepEqual(results.cleanup.leftover, []);
      // After the signal only cleanup may go out: DELETEs, the PROPFINDs that verify each removal
      // (src/dav/presence.ts) and the REPORTs of the UID sweep (src/dav/account-sweep.ts). Any other
      // method would be a scenario step sent after the signal.
      const CLEANUP = new Set(['DELETE', 'PROPFIND', 'REPORT']);
      const sentAfter = proxy.log.filter((l) => l.at >= t0 && /calspec-/.test(l.path) && !CLEANUP.has(l.method));
      assert.deepEqual(
        sentAfter.map((l) => `${l.method} ${l.path}`),
        [],
        'stopped sending scenario requests',
      );
      assert.deepEqual(await listing(home, USER), pristine, 'the home holds what it held before');
    });
  }

  it('interrupted while a MKCALENDAR answer is in flight: the calendar is still removed', async () => {
    // The server creates the calendar; its answer stalls half-way; Ctrl-C aborts the request.
    proxy.setRules([{ method: 'MKCALENDAR', nth: 2, action: { kind: 'stall-body', bytes: 0 } }]);
    proxy.log.length = 0;
    const child = run(join(dir, 'mkcal'));
    await waitFor(
      () => proxy.log.filter((l) => l.method === 'MKCALENDAR').length >= 2,
      20_000,
      'the second MKCALENDAR',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    child.proc.kill('SIGINT');
    assert.equal((await child.exited).code, 4, child.err());
    assert.deepEqual(await listing(home, USER), pristine);
  });

  it('a second signal exits at once, lists what may be left, and calspec cleanup removes it', async () => {
    // Cleanup DELETEs stall too, so the second signal arrives while cleanup is under way.
    proxy.setRules([{ method: 'REPORT', action: { kind: 'stall' } }]);
    proxy.log.length = 0;
    const child = run(join(dir, 'twice'));
    await waitFor(arrived('REPORT'), 20_000, 'the REPORT to reach the proxy');
    proxy.setRules([{ method: 'DELETE', action: { kind: 'stall' } }]);
    const mark = proxy.log.length;
    child.proc.kill('SIGINT');
    await waitFor(() => proxy.log.slice(mark).some((l) => l.method === 'DELETE'), 10_000, 'cleanup to start');
    const t0 = Date.now();
    child.proc.kill('SIGINT');
    const { code, at } = await child.exited;
    assert.equal(code, 4);
    assert.ok(at - t0 < 1500, `exits at once (${at - t0} ms)`);
    const err = child.err();
    assert.match(
      err,
      new RegExp(
        'calspec: exiting without cleanup\\. Possibly left on the server:\\n' +
          '( {2}\\/calendars\\/test\\/calspec-\\S+\\n)+Remove with: calspec cleanup ',
      ),
    );
    const listed = [...err.matchAll(/^ {2}(\/calendars\/test\/calspec-\S+)$/gm)].map((m) => m[1]!);
    const left = (await listing(home, USER)).filter((h) => !pristine.includes(h));
    assert.ok(left.length > 0, 'something was left');
    for (const h of left) assert.ok(listed.includes(h), `${h} was listed as possibly left (${listed.join(', ')})`);

    const r = await captured(() => cleanupCommand([serve.url, '-u', USER.user, '--password', USER.password, '--yes']));
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(await listing(home, USER), pristine, 'calspec cleanup removed every leftover');
  });
});
