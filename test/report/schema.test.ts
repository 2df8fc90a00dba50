import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { fixture, generateRun } from './helpers.js';

function schema(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../schemas/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

// strict: true makes ajv reject schema typos (unknown keywords) instead of silently ignoring them.
const ajv = new Ajv({
  allErrors: true,
  strict: true,
  formats: {
    'date-time': (s: string) =>
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s) && !isNaN(Date.parse(s)),
  },
});
ajv.addSchema(schema('results.schema.json'));
ajv.addSchema(schema('load-results.schema.json'));
ajv.addSchema(schema('matrix.schema.json'));

function validator(id: string): ValidateFunction {
  const v = ajv.getSchema(id);
  assert.ok(v, `schema ${id} is registered`);
  return v;
}

function assertValid(v: ValidateFunction, data: unknown): void {
  assert.equal(v(data), true, ajv.errorsText(v.errors, { separator: '\n' }));
}

describe('results JSON schemas', () => {
  const results = validator('results.schema.json');
  const load = validator('load-results.schema.json');
  const matrix = validator('matrix.schema.json');

  it('accepts the committed interop matrix (reports/interop, written with --compact)', () => {
    const committed = JSON.parse(
      readFileSync(new URL('../../reports/interop/matrix.json', import.meta.url), 'utf8'),
    ) as unknown;
    assertValid(matrix, committed);
  });

  it('accepts the conformance fixture (every grade, multistatus exchange)', () => {
    const run = fixture('run');
    assertValid(results, run);
    const grades = new Set(run.suites.flatMap((s) => s.scenarios.map((x) => x.grade)));
    assert.equal(grades.size, 8);
  });

  it('accepts a generated 1,000-scenario run', () => assertValid(results, generateRun(1000)));
  it('accepts the load fixture', () => assertValid(load, fixture('load')));
  it('accepts the matrix fixture', () => assertValid(matrix, fixture('matrix')));

  it('rejects unknown properties, wrong grades and missing fields', () => {
    const run = structuredClone(fixture('run'));
    (run as unknown as Record<string, unknown>).extra = 1;
    assert.equal(results(run), false);

    const badGrade = structuredClone(fixture('run'));
    (badGrade.suites[0]!.scenarios[0] as unknown as Record<string, unknown>).grade = 'flaky';
    assert.equal(results(badGrade), false);

    const noBody = structuredClone(fixture('run'));
    delete (noBody.suites[0]!.scenarios[0]!.steps[0]!.exchange!.response as unknown as Record<string, unknown>).body;
    assert.equal(results(noBody), false);

    const badLoad = structuredClone(fixture('load'));
    (badLoad as unknown as Record<string, unknown>).model = 'half-open';
    assert.equal(load(badLoad), false);

    const badMatrix = structuredClone(fixture('matrix'));
    (badMatrix.runs[0] as unknown as Record<string, unknown>).kind = 'load';
    assert.equal(matrix(badMatrix), false);
  });
});
