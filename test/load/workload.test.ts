// Workload files: schema errors point at file:line:col (exit 2); bundled profiles all load.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWorkload } from '../../src/load/workload.js';
import { CalspecError } from '../../src/model/exit-codes.js';
import { FIXTURES_DIR } from '../../src/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'calspec-wl-'));
function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}
function failsWith(file: string, pattern: RegExp): void {
  assert.throws(
    () => loadWorkload(file),
    (e: unknown) => {
      assert.ok(e instanceof CalspecError, String(e));
      assert.equal(e.exitCode, 2);
      assert.match(e.message, pattern);
      return true;
    },
  );
}

describe('load: workload files', () => {
  it('loads every bundled profile with weights summing to 1 and unique labels', () => {
    const files = readdirSync(join(FIXTURES_DIR, 'workloads')).filter((f) => f.endsWith('.yaml'));
    assert.ok(files.length >= 6);
    for (const f of files) {
      const w = loadWorkload(join(FIXTURES_DIR, 'workloads', f));
      const sum = w.operations.reduce((s, o) => s + o.weight, 0);
      assert.ok(Math.abs(sum - 1) < 1e-9, `${f}: weights sum to ${sum}`);
      assert.equal(new Set(w.operations.map((o) => o.label)).size, w.operations.length);
    }
    const mix = loadWorkload(join(FIXTURES_DIR, 'workloads', 'mix.yaml'));
    assert.ok(mix.operations.some((o) => o.label === 'iphone/multiget'));
  });

  it('reports an unknown operation option at its line and column', () => {
    const f = write('typo.yaml', 'name: t\noperations:\n  - label: q\n    kind: calendar-query\n    rangeDayz: 3\n');
    failsWith(f, /typo\.yaml:5:5: unknown operation option 'rangeDayz'/);
  });

  it('reports a bad operation kind and a bad label', () => {
    failsWith(
      write('kind.yaml', 'name: t\noperations:\n  - { label: q, kind: calendar-querry }\n'),
      /kind\.yaml:3:\d+: operations\.0\.kind: must be one of/,
    );
    failsWith(
      write('label.yaml', 'name: t\noperations:\n  - { label: "a:b", kind: propfind }\n'),
      /label\.yaml:3:\d+: .*label/,
    );
  });

  it('reports YAML syntax errors, missing operations, duplicate labels and include cycles', () => {
    failsWith(write('syntax.yaml', 'name: t\noperations: [\n'), /syntax\.yaml:\d+:\d+: YAML syntax/);
    failsWith(write('empty.yaml', 'name: t\n'), /empty\.yaml:1:1: a workload needs 'operations' or 'include'/);
    failsWith(
      write('dup.yaml', 'name: t\noperations:\n  - { label: q, kind: propfind }\n  - { label: q, kind: propfind }\n'),
      /dup\.yaml:4:\d+: duplicate operation label 'q'/,
    );
    write('a.yaml', 'name: a\ninclude:\n  - workload: b.yaml\n');
    write('b.yaml', 'name: b\ninclude:\n  - workload: a.yaml\n');
    failsWith(join(dir, 'a.yaml'), /b\.yaml:3:\d+: include cycle/);
    failsWith(
      write('missing.yaml', 'name: m\ninclude:\n  - workload: nope.yaml\n'),
      /missing\.yaml:3:\d+: cannot read included workload nope\.yaml/,
    );
  });

  it('mixes includes by weight', () => {
    write(
      'p1.yaml',
      'name: p1\noperations:\n  - { label: x, kind: propfind, weight: 3 }\n' +
        '  - { label: y, kind: propfind, weight: 1 }\n',
    );
    write('p2.yaml', 'name: p2\noperations:\n  - { label: z, kind: propfind }\n');
    const w = loadWorkload(
      write(
        'm.yaml',
        'name: m\ninclude:\n  - { workload: p1.yaml, weight: 3 }\n  - { workload: p2.yaml, weight: 1 }\n',
      ),
    );
    const weight = Object.fromEntries(w.operations.map((o) => [o.label, o.weight]));
    assert.deepEqual(weight, { 'p1/x': 0.5625, 'p1/y': 0.1875, 'p2/z': 0.25 });
  });
});
