// Scenario selection for run and list: each option narrows, and bad values are usage errors (exit 2).
import assert from 'node:assert/strict';
import { CalspecError } from '../../src/model/exit-codes.js';
import type { ScenarioSpec, SuiteSpec } from '../../src/model/suite.js';
import { readSelection, selectSuites, type SelectValues } from '../../src/suite/select.js';

function scenario(id: string, level: ScenarioSpec['level'], requires: string[] = []): ScenarioSpec {
  return { id, level, requires } as unknown as ScenarioSpec;
}
function suite(rfc: string, section: string, scenarios: ScenarioSpec[], requires: string[] = []): SuiteSpec {
  return { id: `s${rfc}-${section}`, title: 't', rfc, section, requires, scenarios, file: 'x.yaml' };
}

const SUITES = [
  suite('4791', '9.6', [scenario('a', 'MUST'), scenario('b', 'SHOULD', ['lock'])]),
  suite('4791', '9.6.5', [scenario('c', 'MUST NOT')], ['calendar-query']),
  suite('4791', '9.60', [scenario('d', 'MAY')]),
  suite('4918', '9.6', [scenario('e', 'MUST')]),
];

function keys(values: SelectValues): string[] {
  return selectSuites(SUITES, readSelection(values)).flatMap((s) =>
    s.scenarios.map((x) => `rfc${s.rfc}/${s.section}/${x.id}`),
  );
}

describe('scenario selection (src/suite/select.ts)', () => {
  it('selects everything with no options', () => assert.equal(keys({}).length, 5));

  it('--level, with MUST-NOT spellings and repeats', () => {
    assert.deepEqual(keys({ level: ['must-not'] }), ['rfc4791/9.6.5/c']);
    assert.deepEqual(keys({ level: ['MUST_NOT', 'may'] }), ['rfc4791/9.6.5/c', 'rfc4791/9.60/d']);
    assert.deepEqual(keys({ level: ['MUST'] }), ['rfc4791/9.6/a', 'rfc4918/9.6/e']);
  });

  it('--rfc with or without the rfc prefix', () => {
    assert.deepEqual(keys({ rfc: ['rfc4918'] }), ['rfc4918/9.6/e']);
    assert.equal(keys({ rfc: ['4791,4918'] }).length, 5);
  });

  it('--section matches the section and its subsections, not a longer number', () => {
    assert.deepEqual(keys({ section: ['9.6'], rfc: ['4791'] }), ['rfc4791/9.6/a', 'rfc4791/9.6/b', 'rfc4791/9.6.5/c']);
    assert.deepEqual(keys({ section: ['9.60'] }), ['rfc4791/9.60/d']);
  });

  it('--feature counts the suite-level requires too', () => {
    assert.deepEqual(keys({ feature: ['lock'] }), ['rfc4791/9.6/b']);
    assert.deepEqual(keys({ feature: ['calendar-query'] }), ['rfc4791/9.6.5/c']);
  });

  it('--exclude and --filter work on the key', () => {
    assert.deepEqual(keys({ exclude: ['^rfc4791/', '/d$'] }), ['rfc4918/9.6/e']);
    assert.deepEqual(keys({ filter: '/9\\.6/', exclude: ['4918'] }), ['rfc4791/9.6/a', 'rfc4791/9.6/b']);
  });

  it('rejects bad values as usage errors', () => {
    for (const values of [{ level: ['MOST'] }, { rfc: ['abc'] }, { exclude: ['('] }, { filter: '[' }]) {
      assert.throws(
        () => readSelection(values),
        (e: unknown) => e instanceof CalspecError && e.exitCode === 2,
        JSON.stringify(values),
      );
    }
  });
});
