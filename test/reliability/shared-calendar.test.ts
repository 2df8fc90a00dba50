// The kill test in shared-calendar mode: `calspec serve --layout google` (no MKCALENDAR; the user's
// calendar is given), its calendar seeded with the user's own events, then 20 CLI runs with the
// Google profile, each interrupted (SIGINT or SIGTERM, alternating) at a random point. After every
// one the calendar holds exactly what it held before (hrefs and ETags: the user's objects were
// neither modified nor deleted) and the home is as it was.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prng } from '../helpers/fault-proxy.js';
import { startCalspec, startServeChild, waitFor, type Child } from './child.js';
import { listing } from './helpers.js';
import { seed, snapshot } from '../integration/shared-calendar-seed.js';

const USER = { user: 'test', password: 'shared-kill-pw', kind: 'bearer' as const };
// PUT, update, conditional writes and deletes of objects: what a run writes into a shared calendar.
const SUITES = ['suites/rfc4791/5.3.2-put.yaml'];
const dir = mkdtempSync(join(tmpdir(), 'calspec-rel-shared-kill-'));

describe('reliability: kill test in shared-calendar mode', function () {
  this.timeout(300_000);
  let server: { url: string; stop: () => Promise<void> };
  let calendar: string;
  let home: string;
  const auth = { header: `Bearer ${USER.password}` };

  before(async () => {
    server = await startServeChild(`${USER.user}:${USER.password}`, ['--layout', 'google']);
    home = new URL('/caldav/v2/test/', server.url).toString();
    calendar = new URL('events/', home).toString();
    await seed(calendar, auth);
  });
  after(async () => {
    await server?.stop();
  });

  it('20 runs interrupted at random points leave the shared calendar and the home exactly as they were', async () => {
    const pristine = await snapshot(calendar, auth);
    const pristineHome = await listing(home, USER);
    assert.ok(Object.keys(pristine).length > 20, 'the calendar holds the user objects');
    const seedNumber = Number(process.env.CALSPEC_KILL_SEED ?? Date.now() % 100_000);
    const random = prng(seedNumber);
    const args = (out: string) => [
      'run',
      '-t',
      server.url,
      '-u',
      USER.user,
      '--password',
      USER.password,
      '-p',
      'google',
      '-r',
      'console,json',
      '-o',
      out,
      '-j',
      '4',
      ...SUITES,
    ];
    const runStarted = (child: Child) =>
      waitFor(() => /calspec run \S+: \d+ scenarios/.test(child.out()), 30_000, 'the run to start');
    const same = async (where: string) => {
      assert.deepEqual(await snapshot(calendar, auth), pristine, `${where}: the shared calendar differs`);
      assert.deepEqual(await listing(home, USER), pristineHome, `${where}: the home differs`);
    };
    // One uninterrupted run gives the time window to aim signals into, and proves the mode is on.
    const full = startCalspec(args(join(dir, 'full')));
    await runStarted(full);
    const t0 = Date.now();
    // The window ends with the summary line: signals after it land in report writing, not in the run.
    await waitFor(() => /\n\d+ scenarios: .* in [\d.]+ s\n/.test(full.out()), 120_000, 'the run to finish');
    const span = Date.now() - t0;
    const { code } = await full.exited;
    assert.equal(code, 0, full.out() + full.err());
    const results = JSON.parse(readFileSync(join(dir, 'full', 'results.json'), 'utf8'));
    assert.ok(
      results.notes.some((n: string) => n.startsWith('shared-calendar mode')),
      String(results.notes),
    );
    assert.ok(results.cleanup.created.length > 10, 'the run wrote into the shared calendar');
    await same('uninterrupted run');

    const outcomes: string[] = [];
    const started = Date.now();
    for (let i = 0; i < 20; i++) {
      // Aim at a scenario, not a time: on a loaded machine a time window measured once drifts, while
      // "after k of the scenarios that run (not skips) finished" lands mid-run whatever the speed.
      // A random extra delay (up to a tenth of the measured run) puts the signal inside a request.
      const total = finishedScenarios(full.out());
      const after = 1 + Math.floor(random() * Math.max(1, Math.floor(total * 0.6)));
      const delay = Math.round(random() * span * 0.1);
      const signal = i % 2 ? 'SIGTERM' : 'SIGINT';
      const out = join(dir, `kill-${i}`);
      const child = startCalspec(args(out));
      await runStarted(child);
      await waitFor(
        () => finishedScenarios(child.out()) >= after || /\n\d+ scenarios: /.test(child.out()),
        120_000,
        `${after} scenarios`,
      );
      await new Promise((resolve) => setTimeout(resolve, delay));
      child.proc.kill(signal);
      const exit = await child.exited;
      const where = `seed ${seedNumber}, run ${i}, ${signal} after ${after} scenarios + ${delay} ms`;
      let outcome: string;
      if (exit.code === 4) {
        const r = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
        assert.equal(r.interrupted, true, where);
        assert.deepEqual(r.cleanup.leftover, [], where);
        outcome = `interrupted (${r.cleanup.created.length} created, all removed)`;
      } else if (exit.signal === signal) {
        outcome = 'killed after the run, while writing reports';
      } else {
        assert.ok(exit.code === 0, `${where}: exit ${exit.code} ${child.err()}`);
        outcome = 'finished before the signal';
      }
      await same(`${where} (${outcome})`);
      outcomes.push(outcome.replace(/ \(.*/, ''));
    }
    const counts = outcomes.reduce<Record<string, number>>((m, o) => ((m[o] = (m[o] ?? 0) + 1), m), {});
    process.stdout.write(
      `      shared kill test (seed ${seedNumber}, window ${span} ms): ${JSON.stringify(counts)} ` +
        `in ${Date.now() - started} ms\n`,
    );
    assert.ok((counts.interrupted ?? 0) >= 12, `most signals land mid-run: ${JSON.stringify(counts)}`);
  });
});

/** How many scenarios a run has run so far: progress lines (`[  k/N] ...`) other than skips (`- `). */
function finishedScenarios(out: string): number {
  return out.match(/^\[\s*\d+\/\d+\] (?!- )/gm)?.length ?? 0;
}
