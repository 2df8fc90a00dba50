// Targets files are validated like suites: every error names file:line:col.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expandEnv, loadTargets } from '../../src/matrix/targets.js';
import { CalspecError } from '../../src/model/exit-codes.js';
import { tempDir } from './helpers.js';

function error(text: string): string {
  try {
    loadTargets('targets.yaml', text);
  } catch (e) {
    assert.ok(e instanceof CalspecError, String(e));
    assert.equal(e.exitCode, 2);
    return e.message;
  }
  assert.fail('expected a validation error');
}

describe('interop: targets file validation', () => {
  it('accepts a valid file and resolves paths against it', () => {
    const dir = tempDir('targets');
    writeFileSync(join(dir, 'pw'), 'secret\n');
    const file = join(dir, 't.yaml');
    writeFileSync(
      file,
      'suites: [s]\ntargets:\n  - name: a\n    url: http://127.0.0.1:1/\n    profile: radicale\n    user: test\n' +
        '    passwordFile: pw\n  - name: b\n    start: echo http://127.0.0.1:2/\n    noAuth: true\n',
    );
    const t = loadTargets(file);
    assert.equal(t.targets.length, 2);
    assert.equal(t.suites![0], join(dir, 's'));
    assert.equal(t.dir, dir);
  });

  it('rejects an unknown key with its position', () => {
    assert.match(
      error('targets:\n  - name: a\n    url: http://x/\n    noAuth: true\n    colour: red\n'),
      /^targets\.yaml:5:5: unknown target key 'colour'/,
    );
  });

  it('rejects an inline password', () => {
    assert.match(
      error('targets:\n  - name: a\n    url: http://x/\n    user: u\n    password: hunter2\n'),
      /^targets\.yaml:5:5: unknown target key 'password'/,
    );
  });

  it('needs credentials or noAuth', () => {
    assert.match(
      error('targets:\n  - name: a\n    url: http://x/\n'),
      /^targets\.yaml:2:5: target 'a': needs user or userEnv/,
    );
    assert.match(
      error('targets:\n  - name: a\n    url: http://x/\n    user: u\n'),
      /^targets\.yaml:2:5: target 'a': needs passwordFile or passwordEnv/,
    );
  });

  it('rejects duplicate names, unknown profiles, a missing url, bad types and missing files', () => {
    assert.match(
      error(
        'targets:\n  - name: a\n    url: http://x/\n    noAuth: true\n' +
          '  - name: a\n    url: http://y/\n    noAuth: true\n',
      ),
      /^targets\.yaml:5:11: duplicate target name 'a'/,
    );
    assert.match(
      error('targets:\n  - name: a\n    url: http://x/\n    noAuth: true\n    profile: nosuch\n'),
      /^targets\.yaml:5:14: unknown profile 'nosuch'/,
    );
    assert.match(
      error('targets:\n  - name: a\n    noAuth: true\n'),
      /^targets\.yaml:2:5: target 'a': needs url, or a start command/,
    );
    assert.match(
      error('targets:\n  - name: a\n    url: http://x/\n    noAuth: yes-please\n'),
      /^targets\.yaml:4:13: targets\.0\.noAuth: must be boolean$/,
    );
    assert.match(
      error('targets:\n  - name: a\n    url: http://x/\n    user: u\n    passwordFile: /nonexistent/pw\n'),
      /^targets\.yaml:5:19: passwordFile: no such file/,
    );
    assert.match(error('targets: []\n'), /^targets\.yaml:1:10: targets: must NOT have fewer than 1 items/);
    assert.match(
      error('targets:\n  - name: a\n    url: http://x/\n    noAuth: true\n    filter: "("\n'),
      /^targets\.yaml:5:13: targets\.0\.filter: must match format "regex"$/,
    );
  });

  it('expands ${VAR} and ${VAR:-default} in URLs', () => {
    assert.equal(expandEnv('http://h:${CALSPEC_TEST_NOPE:-5232}/', {}), 'http://h:5232/');
    assert.equal(expandEnv('http://h:${P}/', { P: '1' }), 'http://h:1/');
    assert.throws(() => expandEnv('http://h:${P}/', {}), /P is not set/);
  });
});
