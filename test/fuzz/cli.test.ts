// Fuzzing the command line: mutated argument vectors (dropped, duplicated, swapped tokens; unknown
// options; hostile values: huge, binary, wrong types, directories, huge or binary files) for
// `run`, `validate` and `cleanup`, in-process, plus spawned `node bin/calspec.js` cases for the
// entry point itself. Every outcome is an exit code or a CalspecError (exit 2, or 3 for the
// unreachable target the vectors point at) with a one-line message — never another exception,
// never a hang. Reproduce with CALSPEC_FUZZ_SEED=<seed>.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../../src/cli/run.js';
import { cleanupCommand } from '../../src/cli/cleanup.js';
import { COMMANDS } from '../../src/cli/commands.js';
import { CalspecError } from '../../src/model/exit-codes.js';
import { captured } from '../reliability/helpers.js';
import { fuzzSeed, mutateArgs, pick, rng } from './mutate.js';

const CASES = Number(process.env.CALSPEC_FUZZ_CASES ?? 5000);
const SPAWNED = Number(process.env.CALSPEC_FUZZ_SPAWNED ?? 30);
const dir = mkdtempSync(join(tmpdir(), 'calspec-fuzz-cli-'));

const files = (() => {
  const suite = join(dir, 'ok.yaml');
  writeFileSync(
    suite,
    'id: fz\ntitle: T\nrfc: 4791\nsection: "5.1"\nscenarios:\n  - id: fz-one\n    title: One\n' +
      '    level: MUST\n    requirement: r\n    steps:\n      - request: { method: OPTIONS, path: "${cal}" }\n',
  );
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'id: [\n');
  const binary = join(dir, 'binary.bin');
  writeFileSync(binary, Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 131) % 256)));
  const huge = join(dir, 'huge.yaml');
  writeFileSync(huge, 'x'.repeat(3 * 1024 * 1024));
  const folder = join(dir, 'folder');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'inner.yaml'), 'id: 1\n');
  return { suite, bad, binary, huge, folder };
})();

const TARGETS = [
  'http://127.0.0.1:1/',
  'ftp://x/',
  'not a url',
  'http://[::1',
  'http://',
  'https://127.0.0.1:1/',
  'http://user:pw@127.0.0.1:1/',
  'javascript:alert(1)',
];
const VALUES = [
  '',
  '-',
  '0',
  '-1',
  '1e309',
  'NaN',
  '0x10',
  '99999999999999999999',
  '1.5',
  'true',
  '{}',
  '[]',
  'é€😀',
  '\u0000',
  '\u001b[2J',
  'x'.repeat(8_000),
  'console',
  'json,junit',
  'nope',
  'radicale',
  'reference',
  'no-such-profile',
  '1h',
  'soon',
  '^(a+)+$',
  '(',
  '*',
  '[z-a]',
  files.suite,
  files.bad,
  files.binary,
  files.huge,
  files.folder,
  '/dev/null',
  '/nonexistent/file',
  dir,
  'fixtures/profiles/radicale.yaml',
  ...TARGETS,
];
const RUN_OPTIONS = [
  '-t',
  '--target',
  '-u',
  '--user',
  '--password',
  '--password-file',
  '--user2',
  '--password2',
  '--password2-file',
  '--auth',
  '--no-auth',
  '--name',
  '-p',
  '--profile',
  '-b',
  '--baseline',
  '--no-baseline',
  '--strict',
  '--keep',
  '--allow-account-writes',
  '-j',
  '--jobs',
  '--timeout',
  '--max-body',
  '-k',
  '--insecure',
  '--ca',
  '-o',
  '--out',
  '-r',
  '--reporter',
  '-f',
  '--filter',
  '-q',
  '--quiet',
  '--older-than',
  '--yes',
  '--help',
  '--nope',
  '-Z',
];
const BASE: Record<string, string[]> = {
  run: [
    '-t',
    'http://127.0.0.1:1/',
    '-u',
    'test',
    '--password',
    'pw',
    '-r',
    'json',
    '-o',
    join(dir, 'out'),
    '--timeout',
    '2000',
    files.suite,
  ],
  validate: [files.suite],
  cleanup: ['http://127.0.0.1:1/', '-u', 'test', '--password', 'pw', '--older-than', '1h', '--timeout', '2000'],
};
const ENTRY: Record<string, (argv: string[]) => Promise<number>> = {
  run: runCommand,
  validate: (argv) => COMMANDS.validate!.run(argv),
  cleanup: cleanupCommand,
};

/** `run` or `validate` without a positional would load every bundled suite; keep the vectors fast. */
function fix(command: string, argv: string[]): string[] {
  if (
    (command === 'run' || command === 'validate') &&
    !argv.some(
      (a) => a === files.suite || a === files.bad || a === files.folder || a === files.binary || a === files.huge,
    )
  )
    return [...argv, files.suite];
  return argv;
}

describe('fuzz: command line', function () {
  this.timeout(90_000);
  const saved: Record<string, string | undefined> = {};
  before(() => {
    for (const k of Object.keys(process.env)) {
      if (k.startsWith('CALSPEC_') && !k.startsWith('CALSPEC_FUZZ')) {
        saved[k] = process.env[k];
        delete process.env[k];
      }
    }
  });
  after(() => Object.assign(process.env, saved));

  it(`${CASES} mutated argument vectors in-process (run, validate, cleanup)`, async () => {
    const seed = fuzzSeed();
    const r = rng(seed);
    const tally: Record<string, number> = {};
    const t0 = Date.now();
    for (let i = 0; i < CASES; i++) {
      const command = pick(r, Object.keys(BASE));
      const argv = fix(command, mutateArgs(r, BASE[command]!, RUN_OPTIONS, VALUES));
      const where =
        `case ${i} (CALSPEC_FUZZ_SEED=${seed}): ` +
        `calspec ${command} ${JSON.stringify(argv.map((a) => (a.length > 40 ? `${a.slice(0, 40)}…` : a)))}`;
      let outcome: string;
      const c0 = performance.now();
      try {
        const { code } = await captured(() => ENTRY[command]!(argv));
        outcome = `exit ${code}`;
      } catch (error) {
        if (!(error instanceof CalspecError))
          assert.fail(
            `${where}: ${(error as Error)?.constructor?.name}: ${String((error as Error)?.message).split('\n')[0]}`,
          );
        assert.ok(error.exitCode === 2 || error.exitCode === 3, `${where}: exit ${error.exitCode}: ${error.message}`);
        assert.ok(!error.message.includes('\n'), `${where}: one line: ${JSON.stringify(error.message.slice(0, 500))}`);
        outcome = `error ${error.exitCode}`;
      }
      tally[`${command} ${outcome}`] = (tally[`${command} ${outcome}`] ?? 0) + 1;
      const ms = performance.now() - c0;
      if (process.env.CALSPEC_FUZZ_SLOW && ms > Number(process.env.CALSPEC_FUZZ_SLOW))
        process.stdout.write(`slow ${Math.round(ms)} ms: ${where}\n`);
    }
    process.stdout.write(
      `      cli in-process: ${CASES} vectors (seed ${seed}) in ${Date.now() - t0} ms: ${JSON.stringify(tally)}\n`,
    );
  });

  it(`${SPAWNED} mutated vectors through node bin/calspec.js`, async () => {
    const seed = fuzzSeed();
    const r = rng(seed ^ 0x5eed);
    const vectors = Array.from({ length: SPAWNED }, () => {
      const command = pick(r, [...Object.keys(BASE), 'checks', 'nope', '--version', '']);
      const base = BASE[command] ?? [];
      return [
        command,
        ...fix(
          command,
          mutateArgs(
            r,
            base,
            RUN_OPTIONS,
            VALUES.filter((v) => v.length < 10_000 && !v.includes('\u0000')),
          ),
        ),
      ].filter((a, i) => i > 0 || a !== '');
    });
    const t0 = Date.now();
    const codes: Record<string, number> = {};
    let next = 0;
    const worker = async () => {
      while (next < vectors.length) {
        const argv = vectors[next++]!;
        const res = await new Promise<{ code: number | null; err: string }>((resolve) => {
          const child = spawn(process.execPath, ['bin/calspec.js', ...argv], {
            stdio: ['ignore', 'ignore', 'pipe'],
            env: { PATH: process.env.PATH ?? '' },
          });
          let err = '';
          child.stderr.on('data', (d) => (err += d));
          const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
          child.on('close', (code) => (clearTimeout(timer), resolve({ code, err })));
        });
        const where = `spawned (CALSPEC_FUZZ_SEED=${seed}): calspec ${JSON.stringify(argv.map((a) => a.slice(0, 40)))}`;
        assert.ok(res.code !== null, `${where}: hung or killed`);
        assert.ok([0, 1, 2, 3].includes(res.code!), `${where}: exit ${res.code}: ${res.err}`);
        assert.doesNotMatch(res.err, /internal error|\n\s+at /, `${where}: ${res.err}`);
        codes[res.code!] = (codes[res.code!] ?? 0) + 1;
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    process.stdout.write(
      `      cli spawned: ${SPAWNED} vectors in ${Date.now() - t0} ms, exit codes ${JSON.stringify(codes)}\n`,
    );
  });
});
