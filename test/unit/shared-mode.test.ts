// Shared-calendar mode decisions that need no server: the `ownCalendar` marker is schema-checked
// and becomes the skip reason; `${coll:x}` scenarios skip only where collections cannot be made,
// except the suites that test collection creation itself.
import assert from 'node:assert/strict';
import { loadSuiteFile } from '../../src/suite/load.js';
import { CalspecError } from '../../src/model/exit-codes.js';
import { sharedModeSkip } from '../../src/engine/shared-skip.js';
import type { SharedMode } from '../../src/engine/shared-mode.js';

const suite = (requires: string, scenario: string) => `id: t-shared
title: Test
rfc: 4791
section: "5.3.1"
${requires}
scenarios:
  - id: one
    title: One
    level: MUST
${scenario}
    requirement: Something the server must do, in our words.
    steps:
      - request: { method: PUT, path: "\${coll:x}\${obj}a.ics", body: "x" }
`;
const load = (text: string) => loadSuiteFile('suites/t.yaml', { fixturesDir: 'fixtures' }, text);
const shared = (collections: boolean): SharedMode => ({ calendar: '/cal/u/events/', why: 'the reason', collections });

describe('shared-calendar mode: which scenarios skip', () => {
  it('ownCalendar is the skip reason, with the mode and why', () => {
    const s = load(suite('', `    ownCalendar: "it changes the calendar's own properties"`));
    const reason = sharedModeSkip(s, s.scenarios[0]!, shared(true));
    assert.equal(
      reason,
      "needs a calendar of its own: it changes the calendar's own properties; shared-calendar mode (the reason)",
    );
  });

  it('ownCalendar must be a sentence: a boolean or a stub fails at load time with file:line:col', () => {
    for (const bad of ['    ownCalendar: true', '    ownCalendar: "x"']) {
      assert.throws(
        () => load(suite('', bad)),
        (e: unknown) => e instanceof CalspecError && e.exitCode === 2 && /suites\/t\.yaml:\d+:\d+/.test(e.message),
      );
    }
  });

  it('${coll:x} scenarios skip when collections cannot be made, unless they test collection creation', () => {
    const plain = load(suite('', ''));
    assert.match(sharedModeSkip(plain, plain.scenarios[0]!, shared(false)) ?? '', /needs collections of its own/);
    assert.equal(sharedModeSkip(plain, plain.scenarios[0]!, shared(true)), undefined);
    const creation = load(suite('requires: [mkcalendar]', ''));
    assert.equal(sharedModeSkip(creation, creation.scenarios[0]!, shared(false)), undefined);
  });
});
