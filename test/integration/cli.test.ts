// The CLI as users meet it: exit codes and one-line messages, never a stack trace.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function calspec(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['bin/calspec.js', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'calspec-cli-'));
function suiteFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const VALID =
  `id: cli-t\ntitle: T\nrfc: 4791\nsection: "5.1"\nscenarios:\n  - id: cli-one\n    title: One\n` +
  `    level: MUST\n    requirement: The server answers OPTIONS on a calendar.\n    steps:\n` +
  `      - request: { method: OPTIONS, path: "\${cal}" }\n        expect: [ { status: 200 } ]\n`;

describe('CLI exit codes and messages', function () {
  this.timeout(120_000);

  for (const [label, text, pattern] of [
    ['a typo in a check kind', VALID.replace('status: 200', 'statsu: 200'), /:12:21: unknown check kind 'statsu'/],
    ['a missing required key', VALID.replace('    level: MUST\n', ''), /:6:5: missing required key 'level'/],
    ['broken YAML', VALID.replace('title: T', 'title: [T'), /:\d+:\d+: YAML syntax/],
  ] as const) {
    it(`exit 2 and file:line:col for ${label}`, () => {
      const file = suiteFile(`${label.replace(/\W+/g, '-')}.yaml`, text);
      const r = calspec(['validate', file]);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, pattern);
      assert.equal(r.err.trim().split('\n').length, 1, `one line: ${r.err}`);
      assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
    });
  }

  it('exit 2 for an unknown option, with a pointer to --help', () => {
    const r = calspec(['run', '--targt', 'http://x/']);
    assert.equal(r.code, 2);
    assert.match(r.err, /see calspec run --help/);
  });

  it('exit 3 before any scenario when the target refuses connections', () => {
    const r = calspec(['run', '-t', 'http://127.0.0.1:1/', '-u', 'a', '--password', 'b', '-r', 'console']);
    assert.equal(r.code, 3, r.err);
    assert.match(r.err, /cannot reach http:\/\/127\.0\.0\.1:1\/: connection refused/);
  });

  it('exit 3 for an invalid target URL', () => {
    const r = calspec(['run', '-t', 'ftp:/nope', '-u', 'a', '--password', 'b']);
    assert.equal(r.code, 3);
    assert.match(r.err, /invalid target URL/);
  });

  it('--help tells the truth about every command it lists', () => {
    const main = calspec(['--help']);
    assert.equal(main.code, 0);
    // Every command the main help lists has its own --help.
    const listed = [...main.out.matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1]!);
    assert.ok(listed.length >= 13, `main --help lists ${listed.join(', ')}`);
    for (const command of listed) {
      const r = calspec([command, '--help']);
      assert.equal(r.code, 0, `${command} --help`);
      assert.match(r.out, /Usage: calspec/, `${command} --help`);
    }
  });
});
