// Capabilities are probed, not assumed: against the embedded reference server with an optional
// capability switched off (a conforming, smaller server) and NO profile, the scenarios that need it
// are skipped with the probe's evidence and nothing fails; a capability the server advertises but
// breaks is not skipped, and the scenario testing the claim fails. A profile pin still wins.
import assert from 'node:assert/strict';
import type { RunOptions } from '../../src/engine/runner.js';
import { runOnReference } from '../helpers/reference-run.js';
import { loadSuites } from '../../src/suite/load.js';
import type { Feature, ServerProfile } from '../../src/model/profile.js';
import type { RunResults, ScenarioResult } from '../../src/model/result.js';
import type { SuiteSpec } from '../../src/model/suite.js';

const USERS = [
  { name: 'test', password: 'cap-pw-1' },
  { name: 'user1', password: 'cap-pw-2' },
];

const ALL = loadSuites(['suites'], { fixturesDir: 'fixtures' });

/** The suites holding at least one scenario that needs one of these features. */
function suitesNeeding(features: Feature[]): SuiteSpec[] {
  return ALL.filter((s) =>
    s.scenarios.some((sc) => [...s.requires, ...sc.requires].some((f) => features.includes(f as Feature))),
  );
}

async function runAgainst(faults: string[], suites: SuiteSpec[], extra: Partial<RunOptions> = {}): Promise<RunResults> {
  return runOnReference(faults, suites, extra, USERS);
}

const all = (r: RunResults): ScenarioResult[] => r.suites.flatMap((s) => s.scenarios);
const bad = (r: RunResults) =>
  all(r)
    .filter((s) => ['failed', 'non-strict', 'errored', 'blocked'].includes(s.grade))
    .map((s) => `${s.key}: ${s.grade}: ${s.reason}`);
const capability = (r: RunResults, f: string) => r.capabilities!.capabilities.find((c) => c.feature === f);

const ABSENCES: { fault: string; features: Feature[]; evidence: RegExp }[] = [
  { fault: 'no-lock', features: ['lock'], evidence: /LOCK refused with 405 \(no DAV class 2\)/ },
  // COPY and MOVE are separate: without COPY the MOVE scenarios still run (and pass), and the other way round.
  {
    fault: 'no-copy',
    features: ['copy'],
    evidence: /COPY into another calendar refused with 405.*; Allow does not list COPY/,
  },
  {
    fault: 'no-move',
    features: ['move'],
    evidence: /MOVE rename refused with 501.*; into another calendar refused with 501.*; Allow does not list MOVE/,
  },
  {
    fault: 'no-vfreebusy',
    features: ['vfreebusy'],
    evidence: /PUT of a VFREEBUSY .*403 \(supported-calendar-component\)/,
  },
  {
    fault: 'no-optional-props',
    features: ['max-resource-size', 'date-limits', 'max-instances', 'max-attendees'],
    evidence: /PROPFIND of the calendar: .*not returned/,
  },
];

describe('integration: capabilities are probed, not assumed', function () {
  this.timeout(600_000);

  for (const { fault, features, evidence } of ABSENCES) {
    it(`${fault}: scenarios needing ${features.join(', ')} are skipped with the evidence, none fails`, async () => {
      const r = await runAgainst([fault], suitesNeeding(features));
      for (const f of features) {
        const c = capability(r, f);
        assert.equal(c?.state, 'absent', `${f}: ${JSON.stringify(c)}`);
        assert.equal(c.source, 'probe');
        assert.match(c.evidence, evidence);
        assert.ok(c.requests && c.requests.length > 0, 'the requests behind the verdict are recorded');
      }
      const needing = all(r).filter((s) => s.requires.some((f) => features.includes(f as Feature)));
      assert.ok(needing.length > 0);
      for (const s of needing) {
        assert.equal(s.grade, 'skipped', `${s.key}: ${s.grade}: ${s.reason}`);
        assert.match(s.reason!, /target lacks [a-z-]+: /);
        assert.match(s.reason!, evidence, s.key);
      }
      assert.deepEqual(bad(r), []);
      assert.deepEqual(r.cleanup.leftover, []);
      assert.ok(r.capabilities!.probeMs < 30_000, `probing took ${r.capabilities!.probeMs} ms`);
    });
  }

  it('partial-move (RFC 4918 §9.9: not every move is promised): refused moves skip, none fails', async () => {
    const suites = ALL.filter((s) => ['rfc4918-9.9', 'rfc4791-5.3.2'].includes(s.id));
    const r = await runAgainst(['partial-move'], suites);
    // Objects still move between calendars: MOVE is present, with the refused rename as its quirk.
    assert.equal(capability(r, 'move')?.state, 'present');
    assert.match(capability(r, 'move')!.evidence, /MOVE into another calendar 201; rename refused with 403/);
    const skipped = (id: string) => all(r).find((s) => s.id === id);
    for (const [id, code] of [
      ['dav-move-collection', 405],
      ['dav-move-rename-object', 403],
      ['move-within-calendar-allowed', 403],
      ['dav-move-overwrite-f-412', 403],
    ] as const) {
      assert.equal(skipped(id)?.grade, 'skipped', `${id}: ${skipped(id)?.reason}`);
      assert.match(skipped(id)!.reason!, new RegExp(`does not apply to this target: .*got ${code}`));
    }
    assert.equal(skipped('dav-move-between-calendars')?.grade, 'passed');
    assert.deepEqual(bad(r), []);
  });

  it('acl-read-only (RFC 3744 §3.5: no DAV:write-acl for the owner): the ACL scenarios skip, none fails', async () => {
    const r = await runAgainst(
      ['acl-read-only'],
      ALL.filter((s) => s.id === 'rfc3744-8.1'),
    );
    const owners = ['acl-grant-read-shares', 'acl-grant-read-not-write', 'acl-unsupported-privilege'];
    for (const id of [...owners, 'acl-unknown-principal']) {
      const s = all(r).find((x) => x.id === id);
      assert.equal(s?.grade, 'skipped', `${id}: ${s?.grade}: ${s?.reason}`);
      assert.match(s.reason!, /does not apply to this target: the owner holds DAV:write-acl on the calendar/);
    }
    // The other user's ACL request does not depend on the owner's write-acl and still runs.
    assert.equal(all(r).find((x) => x.id === 'acl-by-other-user-denied')?.grade, 'passed');
    assert.deepEqual(bad(r), []);
  });

  it('lock-refused (class 2 advertised, LOCK 405): lock is broken, not absent, and the claim is tested', async () => {
    const r = await runAgainst(['lock-refused'], suitesNeeding(['lock']));
    const c = capability(r, 'lock');
    assert.equal(c?.state, 'broken');
    assert.match(c.evidence, /405 although DAV class 2 is advertised/);
    const lockScenarios = all(r).filter((s) => s.requires.includes('lock'));
    assert.deepEqual(
      lockScenarios.filter((s) => s.grade === 'skipped').map((s) => s.key),
      [],
    );
    // RFC 4918 §18.2: class 2 promises LOCK; the scenario that takes an exclusive lock shows it is not kept.
    const granted = lockScenarios.find((s) => s.id === 'dav-lock-exclusive-granted');
    assert.equal(granted?.grade, 'failed', granted?.reason);
    assert.match(granted.reason!, /405/);
  });

  it('the clean server: every probed capability is present and nothing is skipped for lack of one', async () => {
    const features: Feature[] = ['lock', 'copy', 'move', 'vfreebusy', 'max-resource-size', 'date-limits'];
    const r = await runAgainst([], suitesNeeding(features));
    for (const f of features) assert.equal(capability(r, f)?.state, 'present', f);
    assert.deepEqual(
      all(r)
        .filter((s) => s.grade === 'skipped' && /target lacks/.test(s.reason ?? ''))
        .map((s) => s.key),
      [],
    );
    assert.deepEqual(bad(r), []);
    // The probes wrote inside the run's sandbox and were removed like everything else.
    assert.ok(r.cleanup.created.some((p) => /calspec-.*-probe\/$/.test(p)));
    assert.deepEqual([...r.cleanup.created].sort(), [...r.cleanup.removed].sort());
  });

  it('--no-probe restores the old rule: without a profile, LOCK is assumed and its scenarios fail', async () => {
    const r = await runAgainst(['no-lock'], suitesNeeding(['lock']), { probe: false });
    const c = capability(r, 'lock');
    assert.deepEqual([c?.state, c?.source, r.capabilities!.probed], ['present', 'default', false]);
    assert.ok(all(r).some((s) => s.requires.includes('lock') && s.grade === 'failed'));
  });

  it('a profile pin wins over the probe, and says where it came from', async () => {
    const profile: ServerProfile = {
      name: 'pinned',
      displayName: 'pinned',
      verified: false,
      auth: 'basic',
      layout: {},
      features: { lock: true, copy: false },
      quirks: [],
      baseline: [],
    };
    const r = await runAgainst(['no-lock'], suitesNeeding(['lock', 'copy']), { profile });
    assert.deepEqual([capability(r, 'lock')?.state, capability(r, 'lock')?.source], ['present', 'profile']);
    assert.deepEqual([capability(r, 'copy')?.state, capability(r, 'copy')?.source], ['absent', 'profile']);
    const copy = all(r).filter((s) => s.requires.includes('copy'));
    for (const s of copy) assert.match(s.reason ?? '', /lacks feature: copy \(profile pinned\)/, s.key);
    // Pinned present although it is not: the lock scenarios run (and fail) as the profile asked.
    assert.ok(all(r).some((s) => s.requires.includes('lock') && s.grade === 'failed'));
  });

  it('probing is bounded: when the budget runs out, what is undecided counts as present', async () => {
    const r = await runAgainst(['no-lock'], suitesNeeding(['lock']), { probeBudgetMs: 1 });
    const c = capability(r, 'lock');
    assert.ok(c);
    assert.deepEqual([c.state, c.source], ['present', 'default']);
    assert.match(c.evidence, /probe time budget .* ran out/);
    assert.deepEqual(r.cleanup.leftover, []);
  });
});
