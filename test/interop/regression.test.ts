// Baselines gate CI: against the reference server with one fault, a run with the baseline written
// by `calspec baseline update` exits 0 with the known failures present; a second fault (a
// regression: a scenario that passed now fails) makes it exit 1; without any fault the baseline's
// scenarios are reported as fixed.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { baselineCommand } from '../../src/cli/baseline.js';
import { runConformance } from '../../src/engine/runner.js';
import { loadBaseline, loadProfile } from '../../src/profile/load.js';
import { loadSuites } from '../../src/suite/load.js';
import type { BaselineEntry } from '../../src/model/profile.js';
import type { RunResults } from '../../src/model/result.js';
import { captured, reference, tempDir, USERS } from './helpers.js';

const suites = loadSuites(['suites/rfc7232', 'suites/rfc4791/5.3.4-entity-tag.yaml'], { fixturesDir: 'fixtures' });

async function runWith(faults: string[], baseline?: BaselineEntry[]): Promise<RunResults> {
  const server = await reference(faults);
  try {
    return await runConformance({
      target: server.url,
      suites,
      jobs: 8,
      profile: loadProfile('reference'),
      targetName: 'reference',
      users: USERS.map((u) => ({ user: u.name, password: u.password, kind: 'basic' as const })),
      ...(baseline ? { baseline } : {}),
    });
  } finally {
    await server.stop();
  }
}

const all = (r: RunResults) => r.suites.flatMap((s) => s.scenarios);

describe('interop: baselines gate CI (reference server, injected faults)', function () {
  this.timeout(60_000);
  const dir = tempDir('regression');
  const baselineFile = join(dir, 'baseline.yaml');

  it('a baseline written from a failing run makes the same run pass with expected-fail', async () => {
    const first = await runWith(['etag-weak']);
    assert.equal(first.exitCode, 1, 'the fault makes the run fail');
    const failing = all(first).filter((s) => s.grade === 'failed' || s.grade === 'non-strict' || s.grade === 'errored');
    assert.ok(failing.length > 0);
    writeFileSync(join(dir, 'results.json'), JSON.stringify(first));
    const { value } = await captured(() =>
      baselineCommand(['update', '--results', join(dir, 'results.json'), '--out', baselineFile]),
    );
    assert.equal(value, 0);
    const baseline = loadBaseline(baselineFile);
    assert.deepEqual(baseline.map((e) => e.scenario).sort(), failing.map((s) => s.key).sort());

    const gated = await runWith(['etag-weak'], baseline);
    assert.equal(gated.exitCode, 0, 'known failures only: exit 0');
    assert.equal(gated.summary['expected-fail'], failing.length);
    assert.equal(gated.summary.failed, 0);
  });

  it('an injected regression (a previously passing scenario now fails) exits 1', async () => {
    const baseline = loadBaseline(baselineFile);
    const gated = await runWith(['etag-weak', 'if-match-ignored'], baseline);
    assert.equal(gated.exitCode, 1);
    const regressions = all(gated).filter((s) => s.grade === 'failed');
    assert.ok(regressions.length > 0);
    for (const r of regressions)
      assert.ok(!baseline.some((e) => e.scenario === r.key), `${r.key} is new, not in the baseline`);
    assert.ok(gated.summary['expected-fail'] > 0, 'the known failures are still expected-fail');
  });

  it('a fixed scenario is reported as fixed, and baseline update drops it', async () => {
    const baseline = loadBaseline(baselineFile);
    const clean = await runWith([], baseline);
    assert.equal(clean.exitCode, 0);
    assert.equal(clean.summary.fixed, baseline.length);
    assert.ok(
      all(clean)
        .filter((s) => s.grade === 'fixed')
        .every((s) => s.baselineReason),
    );
    writeFileSync(join(dir, 'clean.json'), JSON.stringify(clean));
    const { out } = await captured(() =>
      baselineCommand(['update', '--results', join(dir, 'clean.json'), '--out', baselineFile]),
    );
    assert.match(out, new RegExp(`0 entries: 0 kept, 0 added, ${baseline.length} dropped as fixed`));
    assert.deepEqual(loadBaseline(baselineFile), []);
  });
});
