// Broken suite files fail at load time with one line naming file:line:col.
import assert from 'node:assert/strict';
import { loadSuiteFile } from '../../src/suite/load.js';
import { CalspecError } from '../../src/model/exit-codes.js';

const GOOD = `id: t-suite
title: Test
rfc: 4791
section: "5.3.1"
scenarios:
  - id: one
    title: One
    level: MUST
    requirement: Something the server must do, in our words.
    steps:
      - request: { method: OPTIONS, path: "\${cal}" }
        expect:
          - status: 200
          - header: { name: DAV, contains: calendar-access }
        capture:
          dav: { header: DAV }
      - request: { method: GET, path: "\${cal}\${dav}" }
`;

function loadError(text: string): string {
  try {
    loadSuiteFile('suites/t.yaml', { fixturesDir: 'fixtures' }, text);
  } catch (error) {
    assert.ok(error instanceof CalspecError, `expected a CalspecError, got ${String(error)}`);
    assert.equal(error.exitCode, 2);
    assert.ok(!error.message.includes('\n'), 'one line');
    return error.message;
  }
  assert.fail('expected the suite to be rejected');
}

describe('suite loader', () => {
  it('loads a valid suite with positions and captures', () => {
    const suite = loadSuiteFile('suites/t.yaml', { fixturesDir: 'fixtures' }, GOOD);
    assert.equal(suite.rfc, '4791');
    assert.equal(suite.scenarios[0]!.steps.length, 2);
    assert.equal(suite.scenarios[0]!.steps[0]!.checks[1]!.kind, 'header');
    assert.deepEqual(suite.scenarios[0]!.steps[0]!.checks[1]!.pos, { file: 'suites/t.yaml', line: 14, col: 13 });
  });

  it('names an unknown check kind with its position', () => {
    assert.equal(
      loadError(GOOD.replace('- status: 200', '- multistatus.hrefz: {}')),
      "suites/t.yaml:13:13: unknown check kind 'multistatus.hrefz'",
    );
  });

  it('names a missing required key', () => {
    assert.match(
      loadError(GOOD.replace('    level: MUST\n', '')),
      /^suites\/t\.yaml:6:5: missing required key 'level'/,
    );
  });

  it('prefers an unknown key over the missing key it was meant to be', () => {
    assert.match(loadError(GOOD.replace('level: MUST', 'levl: MUST')), /^suites\/t\.yaml:8:5: unknown key 'levl'/);
  });

  it('reports broken YAML with line and column', () => {
    assert.match(loadError('id: x\ntitle: [unclosed\nrfc: 1\n'), /^suites\/t\.yaml:\d+:\d+: YAML syntax: /);
  });

  it('rejects wrong argument types of a check', () => {
    assert.match(loadError(GOOD.replace('status: 200', 'status: 2000')), /^suites\/t\.yaml:13:\d+: .*599/);
    assert.match(
      loadError(
        GOOD.replace('header: { name: DAV, contains: calendar-access }', 'header: { name: DAV, matches: "(" }'),
      ),
      /^suites\/t\.yaml:14:\d+: .*regex/,
    );
  });

  it('rejects a variable that is neither built in nor captured earlier', () => {
    assert.match(loadError(GOOD.replace('${dav}', '${dva}')), /^suites\/t\.yaml:17:\d+: unknown variable \$\{dva\}/);
  });

  it('rejects an unquoted section that YAML would turn into a number', () => {
    assert.match(loadError(GOOD.replace('section: "5.3.1"', 'section: 7.10')), /section: must be string/);
  });

  it('rejects an unknown template filter', () => {
    assert.match(
      loadError(GOOD.replace('${dav}', '${dav|json}')),
      /^suites\/t\.yaml:17:\d+: unknown template filter '\|json'/,
    );
  });

  it('rejects a missing fixture file', () => {
    assert.match(
      loadError(
        GOOD.replace(
          '- request: { method: GET, path: "${cal}${dav}" }',
          '- request: { method: PUT, path: "${cal}x.ics", bodyFile: nope.ics }',
        ),
      ),
      /fixture file not found/,
    );
  });

  it('defeats alias bombs', () => {
    const bomb =
      `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n` +
      `c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n`;
    assert.match(loadError(bomb), /^suites\/t\.yaml:1:1: YAML: /);
  });
});
