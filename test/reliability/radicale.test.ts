// Against a real Radicale (fixtures/servers/radicale.sh): a few faults through the proxy, then the
// kill test — 20 CLI runs each interrupted (SIGINT or SIGTERM, alternating) at a random point, and
// after every one the calendar home holds exactly what it held before the run.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProfile } from '../../src/profile/load.js';
import { startFaultProxy, prng, type FaultProxy } from '../helpers/fault-proxy.js';
import { startScriptServer, type StartedServer } from '../helpers/servers.js';
import { startCalspec, waitFor, type Child } from './child.js';
import { assertNamesRequest, listing, probeRun } from './helpers.js';

const USER = { user: 'test', password: 'test', kind: 'basic' as const };
const PORT = 5351;
const KILL_SUITES = ['suites/rfc4791/5.3.2-put.yaml', 'suites/rfc4791/7.9-calendar-multiget.yaml'];
const dir = mkdtempSync(join(tmpdir(), 'calspec-rel-kill-'));

describe('reliability: Radicale (faults and the kill test)', function () {
  this.timeout(180_000);
  let server: StartedServer;
  let proxy: FaultProxy;
  let home: string;
  let pristine: string[];
  const profile = loadProfile('radicale');

  before(async () => {
    server = startScriptServer('radicale', 'RADICALE_PORT', PORT);
    proxy = await startFaultProxy({ upstream: server.url });
    home = new URL('/test/', server.url).toString();
    pristine = await listing(home, USER);
  });
  after(async () => {
    await proxy?.close();
    server?.stop();
  });

  for (const [name, method, action, grade] of [
    ['connection reset', 'GET', { kind: 'reset' }, 'errored'],
    ['lost MKCALENDAR answer', 'MKCALENDAR', { kind: 'truncate', bytes: 0 }, 'blocked'],
    ['stall past the timeout', 'REPORT', { kind: 'stall' }, 'errored'],
    ['300 MB body', 'REPORT', { kind: 'huge', bytes: 300 * 1024 * 1024 }, 'errored'],
  ] as const) {
    it(`fault: ${name} → ${grade}, the rest passes, the home is unchanged`, async () => {
      proxy.setRules([{ method, nth: 1, action }]);
      const { results, all } = await probeRun(proxy.url, [USER], { profile, maxBodyBytes: 1024 * 1024 });
      const hit = all.filter((r) => r.grade !== 'passed');
      assert.equal(hit.length, 1, all.map((r) => `${r.id}: ${r.grade} ${r.reason ?? ''}`).join('\n'));
      assert.equal(hit[0]!.grade, grade);
      assertNamesRequest(hit[0]!.reason, method, /\/test\/calspec-/);
      // Blocked alone (the scenario calendar could not be made) does not fail a run.
      assert.equal(results.exitCode, grade === 'blocked' ? 0 : 1);
      assert.deepEqual(await listing(home, USER), pristine);
    });
  }

  it('kill test: 20 runs interrupted at random points leave the home exactly as it was', async () => {
    const seed = Number(process.env.CALSPEC_KILL_SEED ?? Date.now() % 100_000);
    const random = prng(seed);
    const args = (out: string) => [
      'run',
      '-t',
      server.url,
      '-u',
      USER.user,
      '--password',
      USER.password,
      '-p',
      'radicale',
      '-r',
      'console,json',
      '-o',
      out,
      '-j',
      '4',
      ...KILL_SUITES,
    ];
    const runStarted = (child: Child) =>
      waitFor(() => /calspec run \S+: \d+ scenarios/.test(child.out()), 30_000, 'the run to start');
    // One uninterrupted run gives the time window (discovery done → exit) to aim signals into.
    const full = startCalspec(args(join(dir, 'full')));
    await runStarted(full);
    const t0 = Date.now();
    const { code, at } = await full.exited;
    const span = at - t0;
    assert.ok(code === 0 || code === 1, full.err());
    assert.deepEqual(await listing(home, USER), pristine);

    const outcomes: string[] = [];
    const started = Date.now();
    for (let i = 0; i < 20; i++) {
      const delay = Math.round(random() * span * 0.75);
      const signal = i % 2 ? 'SIGTERM' : 'SIGINT';
      const out = join(dir, `kill-${i}`);
      const child = startCalspec(args(out));
      await runStarted(child);
      await new Promise((resolve) => setTimeout(resolve, delay));
      child.proc.kill(signal);
      const exit = await child.exited;
      const where = `seed ${seed}, run ${i}, ${signal} ${delay} ms into the run`;
      let outcome: string;
      if (exit.code === 4) {
        const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
        assert.equal(results.interrupted, true, where);
        assert.deepEqual(results.cleanup.leftover, [], where);
        outcome = `interrupted (${results.cleanup.created.length} created, all removed)`;
      } else if (exit.signal === signal) {
        outcome = 'killed after the run, while writing reports';
      } else {
        assert.ok(exit.code === 0 || exit.code === 1, `${where}: exit ${exit.code} ${child.err()}`);
        outcome = 'finished before the signal';
      }
      assert.deepEqual(await listing(home, USER), pristine, `${where}: home differs after the run (${outcome})`);
      outcomes.push(outcome.replace(/ \(.*/, ''));
    }
    const counts = outcomes.reduce<Record<string, number>>((m, o) => ((m[o] = (m[o] ?? 0) + 1), m), {});
    process.stdout.write(
      `      kill test (seed ${seed}, window ${span} ms): ${JSON.stringify(counts)} in ${Date.now() - started} ms\n`,
    );
    assert.ok((counts.interrupted ?? 0) >= 12, `most signals land mid-run: ${JSON.stringify(counts)}`);
  });
});
