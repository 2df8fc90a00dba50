// `calspec run --config FILE`: the file drives a whole run against the reference server, a flag wins
// over the file, and a bad file (unknown key, a password) exits 2 at file:line:col.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReferenceServer } from '../../src/server/index.js';
import { configFile, readConfig, withConfig } from '../../src/cli/config.js';
import { RUN_OPTIONS } from '../../src/cli/run.js';

// Asynchronous: the server runs in this process, so a blocking spawn would never be answered.
function calspec(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      { timeout: 120_000, env: { ...process.env, CALSPEC_PASSWORD: '', CALSPEC_USER: '', CALSPEC_TARGET: '' } },
      (error, out, err) => resolve({ code: error ? Number((error as { code?: number }).code ?? 70) : 0, out, err }),
    );
  });
}

const dir = mkdtempSync(join(tmpdir(), 'calspec-config-'));
function write(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

function keys(out: string): string[] {
  const results = JSON.parse(readFileSync(join(dir, out, 'results.json'), 'utf8')) as {
    suites: Array<{ scenarios: Array<{ key: string }> }>;
  };
  return results.suites.flatMap((s) => s.scenarios.map((x) => x.key));
}

describe('run --config FILE', function () {
  this.timeout(300_000);
  let server: Awaited<ReturnType<typeof startReferenceServer>>;
  let config: string;
  before(async () => {
    server = await startReferenceServer({ port: 0, users: [{ name: 'test', password: 'pw' }], quiet: true });
    write('secret', 'pw\n');
    // Relative paths (password-file, out) are taken from the config file's folder.
    config = write(
      'calspec.config.yaml',
      [
        `target: ${server.url}`,
        'user: test',
        'password-file: secret',
        'reporter: [json]',
        'out: from-file',
        'rfc: 4791',
        'section: [9.6]',
        'level: MUST',
        'jobs: 2',
        'quiet: true',
      ].join('\n'),
    );
  });
  after(async () => server.stop());

  it('drives a run from the file alone', async () => {
    const r = await calspec(['run', '--config', config]);
    assert.equal(r.code, 0, r.out + r.err);
    const run = keys('from-file');
    assert.ok(run.length > 3 && run.every((k) => k.startsWith('rfc4791/9.6')), run.join(' '));
    assert.ok(!existsSync(join(dir, 'from-file', 'junit.xml')), 'reporter list from the file applies');
  });

  it('a command-line option overrides the file value', async () => {
    const out = join(dir, 'from-flag');
    const r = await calspec(['run', '--config', config, '-o', out, '--section', '7.6']);
    assert.equal(r.code, 0, r.out + r.err);
    assert.ok(!existsSync(join(dir, 'from-flag', 'junit.xml')));
    const run = keys('from-flag');
    assert.ok(run.length > 0 && run.every((k) => k.startsWith('rfc4791/7.6/')), run.join(' '));
  });

  it('an unknown key exits 2 with file:line:col', async () => {
    const bad = write('unknown.yaml', `target: ${server.url}\nuser: test\nthreads: 4\n`);
    const r = await calspec(['run', '--config', bad]);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err.trim(), new RegExp(`^calspec: ${bad.replace(/[.\\/]/g, '\\$&')}:3:1: unknown key 'threads'`));
  });

  it('a password key exits 2 with file:line:col and never echoes it', async () => {
    const bad = write('password.yaml', `target: ${server.url}\nuser: test\n\npassword: hunter2\n`);
    const r = await calspec(['run', '--config', bad]);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /password\.yaml:4:1: 'password' is not allowed in a config file/);
    assert.doesNotMatch(r.out + r.err, /hunter2/);
  });

  it('a wrongly typed value exits 2 at its line', async () => {
    const bad = write('typed.yaml', `user: test\nkeep: yes please\n`);
    const r = await calspec(['run', '--config', bad]);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /typed\.yaml:2:7: keep: must be boolean/);
  });

  it('finds ./calspec.config.yaml by default; --config wins; list flags replace the file list', () => {
    assert.equal(configFile(undefined, dir), join(dir, 'calspec.config.yaml'));
    assert.equal(configFile('other.yaml', dir), 'other.yaml');
    assert.equal(configFile(undefined, tmpdir() + '/nonexistent-calspec'), undefined);
    const file = readConfig(config, RUN_OPTIONS);
    assert.equal(file.values['password-file'], join(dir, 'secret'));
    const merged = withConfig({ values: { reporter: ['html'], password: 'x' }, positionals: [] }, file);
    assert.deepEqual(merged.values.reporter, ['html']);
    assert.equal(merged.values['password-file'], undefined, '--password beats the file password-file');
    assert.deepEqual(merged.values.level, ['MUST']);
  });
});
