// Self-validation (issue: embedded reference server): every bundled scenario passes against the
// clean reference server, and every injected fault makes at least one scenario fail and name the
// requirement it violates. A suite edit that weakens detection turns this red.
import assert from 'node:assert/strict';
import { writeFileSync, mkdirSync } from 'node:fs';
import { loadSuites } from '../../src/suite/load.js';
import { loadProfile } from '../../src/profile/load.js';
import { FAULTS } from '../../src/server/index.js';
import { runOnReference } from '../helpers/reference-run.js';
import type { RunResults, ScenarioResult } from '../../src/model/result.js';
import type { SuiteSpec } from '../../src/model/suite.js';

async function runAgainst(suites: SuiteSpec[], faults: string[]): Promise<RunResults> {
  return runOnReference(faults, suites, { profile: loadProfile('reference') });
}

// Detection is a verdict: failed, non-strict or errored. Blocked (a setup operation failed) never
// counts, so every fault must still be caught by a scenario whose own steps meet it.
const bad = (r: ScenarioResult) => r.grade === 'failed' || r.grade === 'non-strict' || r.grade === 'errored';

describe('integration: reference server self-validation', function () {
  this.timeout(600_000);
  const suites = loadSuites(['suites'], { fixturesDir: 'fixtures' });

  // Scenarios that pass on the clean server: a fault is detected when one of these fails.
  const cleanPassing = new Set<string>();

  it('every bundled scenario passes against the clean reference server', async () => {
    const results = await runAgainst(suites, []);
    const all = results.suites.flatMap((s) => s.scenarios);
    for (const r of all) if (r.grade === 'passed') cleanPassing.add(r.key);
    const problems = all.filter((r) => r.grade !== 'passed' && r.grade !== 'skipped' && r.grade !== 'informational');
    assert.deepEqual(
      problems.map((r) => `${r.key}: ${r.grade}: ${r.reason}`),
      [],
    );
    assert.deepEqual(results.cleanup.leftover, []);
  });

  it('every fault is detected by at least one scenario that names the violated requirement', async () => {
    const table: string[] = [];
    const undetected: string[] = [];
    // Faults run a few at a time: each has its own in-process server. Absences of optional
    // capabilities (f.optional) violate nothing: test/integration/capabilities.test.ts shows they skip.
    // Performance defects (f.performance) neither: test/integration/keepalive.test.ts covers them.
    const queue = FAULTS.filter((f) => !f.optional && !f.performance);
    const worker = async () => {
      for (let fault = queue.shift(); fault; fault = queue.shift()) {
        const results = await runAgainst(suites, [fault.name]);
        const failing = results.suites.flatMap((s) => s.scenarios).filter((r) => bad(r) && cleanPassing.has(r.key));
        for (const r of failing)
          assert.ok(r.requirement.length > 0 && r.reason, `${r.key} names its requirement and reason`);
        if (failing.length === 0) undetected.push(fault.name);
        table.push(
          `${fault.name.padEnd(32)} ${String(failing.length).padStart(4)}  ${failing
            .slice(0, 3)
            .map((r) => r.key)
            .join(', ')}${failing.length > 3 ? ', …' : ''}`,
        );
      }
    };
    await Promise.all([worker(), worker()]);
    table.sort();
    const text =
      `fault → scenarios that pass on the clean server and ` +
      `fail with the fault (count, first three; blocked does not count)\n${table.join('\n')}\n`;
    mkdirSync('reports', { recursive: true });
    writeFileSync('reports/fault-table.txt', text);
    process.stdout.write(`\n${text}`);
    assert.deepEqual(undetected, [], 'faults no scenario detects');
  });
});
