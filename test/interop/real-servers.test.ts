// CI gate on real servers: the whole bundled corpus against Xandikos, the Baïkal 0.2 stack (sabre/dav
// 1.8) and Baïkal 0.12.1 (sabre/dav 4.7.1; skipped, saying why, when its sources are not on the
// machine), each started by its fixtures/servers script and judged with its profile's baseline. A
// scenario that starts failing (or erroring) without a baseline entry turns CI red; known failures
// are expected-fail; a known failure that now passes is reported as fixed and does not fail the run.
// Radicale gets the same treatment in test/integration/radicale.test.ts (one run serves both).
import assert from 'node:assert/strict';
import { runConformance } from '../../src/engine/runner.js';
import { loadProfile } from '../../src/profile/load.js';
import { loadSuites } from '../../src/suite/load.js';
import type { RunResults, ScenarioResult } from '../../src/model/result.js';
import { startScriptServer, type StartedServer } from '../helpers/servers.js';
import { baikalSourceMissing } from '../helpers/baikal-source.js';

interface RealServer {
  script: string;
  portVar: string;
  port: number;
  profile: string;
  users: { user: string; password: string; kind: 'basic' }[] | 'none';
  /** Why the server cannot run on this machine (sources that are not Debian packages), or undefined. */
  missing?: () => string | undefined;
}

const SERVERS: RealServer[] = [
  { script: 'xandikos', portVar: 'XANDIKOS_PORT', port: 8391, profile: 'xandikos', users: 'none' },
  {
    script: 'sabre',
    portVar: 'SABRE_PORT',
    port: 8392,
    profile: 'sabre-1.8',
    users: [
      { user: 'test', password: 'test', kind: 'basic' },
      { user: 'user1', password: 'pass1', kind: 'basic' },
    ],
  },
  {
    script: 'baikal',
    portVar: 'BAIKAL_PORT',
    port: 8393,
    profile: 'baikal',
    users: [
      { user: 'test', password: 'test', kind: 'basic' },
      { user: 'user1', password: 'pass1', kind: 'basic' },
    ],
    missing: baikalSourceMissing,
  },
];

const unexpected = (r: ScenarioResult) => r.grade === 'failed' || r.grade === 'non-strict' || r.grade === 'errored';

for (const s of SERVERS) {
  describe(`interop: ${s.profile} (fixtures/servers/${s.script}.sh) against its baseline`, function () {
    this.timeout(600_000);
    let server: StartedServer;
    let results: RunResults;
    const suites = loadSuites(['suites'], { fixturesDir: 'fixtures' });
    const profile = loadProfile(s.profile);

    before(async function () {
      const missing = s.missing?.();
      if (missing) {
        process.stdout.write(`      skipped: ${missing}\n`);
        this.skip();
      }
      server = startScriptServer(s.script, s.portVar, s.port);
      const started = Date.now();
      results = await runConformance({
        target: server.url,
        targetName: s.profile,
        suites,
        profile,
        jobs: 4,
        // A throwaway server: scheduling scenarios (account-level writes) run too.
        allowAccountWrites: true,
        users: s.users === 'none' ? [{ user: 'anonymous', password: '', kind: 'none' as const }] : s.users,
      });
      const c = results.summary;
      process.stdout.write(
        `      ${s.profile}: ${c.passed} passed, ${c['expected-fail']} expected-fail, ${c.fixed} fixed, ${c.skipped} ` +
          `skipped, ${c.blocked ?? 0} blocked, ${c.informational} informational ` +
          `in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      );
    });

    after(() => server?.stop());

    it('has no failure, SHOULD violation or error that the baseline does not list', () => {
      const all = results.suites.flatMap((x) => x.scenarios);
      assert.ok(all.length >= 400, `only ${all.length} scenarios ran`);
      assert.deepEqual(
        all.filter(unexpected).map((r) => `${r.key}: ${r.grade}: ${r.reason}`),
        [],
      );
      assert.equal(results.exitCode, 0);
    });

    it('left nothing behind', () => {
      assert.deepEqual(results.cleanup.leftover, []);
    });

    if (s.users === 'none') {
      it('skips multi-user scenarios, saying that the server has no authentication', () => {
        const multi = results.suites
          .flatMap((x) => x.scenarios)
          .filter((r) => r.grade === 'skipped' && /has no authentication \(single user\)/.test(r.reason ?? ''));
        assert.ok(multi.length > 0, 'no multi-user scenario was skipped for want of a second user');
      });
    }
  });
}
