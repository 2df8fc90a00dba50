import assert from 'node:assert/strict';
import { loadProfile, listProfiles } from '../../src/profile/load.js';
import { isTriaged, untriaged, untriagedWarning } from '../../src/profile/triage.js';
import { updateBaseline } from '../../src/profile/baseline-write.js';
import type { RunResults } from '../../src/model/result.js';
import { CalspecError } from '../../src/model/exit-codes.js';

const PROFILE_HEAD = 'name: x\ndisplayName: X\nverified: false\nauth: basic\nfeatures: {}\n';

describe('baseline triage', () => {
  it('an entry is triaged only with a class other than untriaged and a why', () => {
    assert.equal(isTriaged({ scenario: 'a', reason: 'r' }), false);
    assert.equal(isTriaged({ scenario: 'a', reason: 'r', class: 'untriaged' }), false);
    assert.equal(isTriaged({ scenario: 'a', reason: 'r', class: 'server-bug', why: 'RFC 4791 §5.3.2: …' }), true);
    const warning = untriagedWarning([{ scenario: 'rfc4791/5.3.2/x', reason: 'r' }], 'profile x');
    assert.match(warning!, /1 of 1 baseline entries in profile x are untriaged.*rfc4791\/5\.3\.2\/x/);
    assert.equal(untriagedWarning([], 'profile x'), undefined);
  });

  it('the profile schema rejects a judged entry without a why that cites an RFC, and unknown classes', () => {
    const entry = (extra: string) => `${PROFILE_HEAD}baseline:\n  - scenario: a\n    reason: r\n${extra}`;
    assert.throws(() => loadProfile('x.yaml', entry('    class: server-bug\n')), CalspecError);
    assert.throws(() => loadProfile('x.yaml', entry('    class: server-bug\n    why: the server is wrong\n')));
    assert.throws(() => loadProfile('x.yaml', entry('    class: bogus\n    why: RFC 4791 §1 whatever\n')));
    const ok = loadProfile('x.yaml', entry('    class: "limitation:harness-501"\n    why: "RFC 3744 §8.1: harness"\n'));
    assert.equal(ok.baseline[0]!.class, 'limitation:harness-501');
  });

  it('baseline update writes new entries as untriaged and keeps the class and why of kept ones', () => {
    const run = {
      kind: 'conformance',
      suites: [
        {
          scenarios: [
            { key: 'k/1/new', id: 'new', grade: 'failed', reason: 'boom' },
            { key: 'k/1/old', id: 'old', grade: 'expected-fail', reason: 'boom' },
          ],
        },
      ],
    } as unknown as RunResults;
    const kept = { scenario: 'k/1/old', reason: 'r', class: 'server-bug' as const, why: 'RFC 4791 §7.8: x' };
    const { entries } = updateBaseline([kept], run);
    assert.deepEqual(
      entries.map((e) => [e.scenario, e.class]),
      [
        ['k/1/new', 'untriaged'],
        ['k/1/old', 'server-bug'],
      ],
    );
    assert.equal(entries[1]!.why, kept.why);
  });

  it('committed profiles have no untriaged baseline entries (each says why, with the RFC section)', () => {
    const open = listProfiles().flatMap((name) =>
      untriaged(loadProfile(name).baseline).map((e) => `${name}: ${e.scenario}`),
    );
    assert.deepEqual(open, []);
  });
});
