// Fuzzing the YAML loaders (suites, server profiles): thousands of seeded mutations of real files
// — wrong types, unknown keys, cyclic/duplicated anchors, alias bombs, binary garbage, deep
// nesting, truncation, huge lines. Each input either loads, or fails with a CalspecError (exit 2)
// whose one-line message starts `file:line:col: `. Never another exception, never a hang.
// Reproduce with CALSPEC_FUZZ_SEED=<seed printed on failure>.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSuiteFile } from '../../src/suite/load.js';
import { loadProfile } from '../../src/profile/load.js';
import { CalspecError } from '../../src/model/exit-codes.js';
import { MAX_YAML_BYTES } from '../../src/yaml/source.js';
import { fuzzSeed, mutateYamlMany, rng } from './mutate.js';

const CASES = Number(process.env.CALSPEC_FUZZ_CASES ?? 5000);
const FILE_LINE_COL = /^[^\n]+:\d+:\d+: /;
const dir = mkdtempSync(join(tmpdir(), 'calspec-fuzz-'));

function suiteCorpus(): { file: string; text: string }[] {
  const files = ['test/reliability/suites/basic.yaml', 'test/fixtures/suites/wrong-expectation.yaml'];
  for (const d of ['rfc4791', 'rfc4918', 'rfc6578', 'rfc3744', 'rfc7232']) {
    for (const f of readdirSync(join('suites', d)))
      if (readFileSync(join('suites', d, f)).length < 2500) files.push(join('suites', d, f));
  }
  return files.map((file) => ({ file, text: readFileSync(file, 'utf8') }));
}

function profileCorpus(): { file: string; text: string }[] {
  return readdirSync('fixtures/profiles')
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => ({ file: join('fixtures/profiles', f), text: readFileSync(join('fixtures/profiles', f), 'utf8') }));
}

interface Tally {
  loaded: number;
  rejected: number;
  slowestMs: number;
}

function fuzz(
  name: string,
  corpus: { file: string; text: string }[],
  load: (file: string, text: string) => unknown,
): Tally {
  const seed = fuzzSeed();
  const r = rng(seed);
  const tally: Tally = { loaded: 0, rejected: 0, slowestMs: 0 };
  for (let i = 0; i < CASES; i++) {
    const source = corpus[Math.floor(r() * corpus.length)]!;
    const text = mutateYamlMany(r, source.text);
    const t0 = performance.now();
    try {
      load(source.file, text);
      tally.loaded++;
    } catch (error) {
      const where = `${name} fuzz case ${i} (CALSPEC_FUZZ_SEED=${seed}) from ${source.file}`;
      if (!(error instanceof CalspecError)) {
        writeFileSync(join(dir, `${name}-${seed}-${i}.yaml`), text);
        assert.fail(
          `${where}: ${(error as Error)?.constructor?.name}: ` +
            `${(error as Error)?.message?.split('\n')[0]} (input saved in ${dir})`,
        );
      }
      assert.equal(error.exitCode, 2, `${where}: exit code`);
      assert.match(error.message, FILE_LINE_COL, `${where}: ${error.message}`);
      assert.ok(!error.message.includes('\n'), `${where}: one line: ${JSON.stringify(error.message)}`);
      tally.rejected++;
    }
    tally.slowestMs = Math.max(tally.slowestMs, performance.now() - t0);
    assert.ok(
      performance.now() - t0 < 5000,
      `${name} fuzz case ${i} (CALSPEC_FUZZ_SEED=${seed}) took ${Math.round(performance.now() - t0)} ms`,
    );
  }
  process.stdout.write(
    `      ${name}: ${CASES} mutated inputs (seed ${seed}): ${tally.loaded} loaded, ` +
      `${tally.rejected} rejected with file:line:col, slowest ${Math.round(tally.slowestMs)} ms\n`,
  );
  return tally;
}

describe('fuzz: YAML loaders', function () {
  this.timeout(60_000);
  // Mocha sets an unlimited stack trace depth; with source maps on, each stack overflow the deep
  // nesting cases provoke (and the yaml parser reports) would cost seconds. The CLI runs with 10.
  let limit: number;
  before(() => {
    limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 10;
  });
  after(() => {
    Error.stackTraceLimit = limit;
  });

  it(`suite loader: ${CASES} mutated suites`, () => {
    const t = fuzz('suite', suiteCorpus(), (file, text) => loadSuiteFile(file, { fixturesDir: 'fixtures' }, text));
    assert.ok(t.rejected > CASES / 2);
  });

  it(`profile loader: ${CASES} mutated profiles`, () => {
    const t = fuzz('profile', profileCorpus(), (file, text) => loadProfile(file, text));
    assert.ok(t.rejected > CASES / 4);
  });

  it('files: too large, binary, a directory, empty', () => {
    const huge = join(dir, 'huge.yaml');
    writeFileSync(huge, `id: x\n# ${'x'.repeat(MAX_YAML_BYTES)}\n`);
    const binary = join(dir, 'binary.yaml');
    writeFileSync(binary, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    const empty = join(dir, 'empty.yaml');
    writeFileSync(empty, '');
    const folder = mkdtempSync(join(dir, 'folder-')) + '.yaml';
    writeFileSync(join(dir, 'x'), '');
    for (const file of [huge, binary, empty]) {
      for (const load of [
        (f: string) => loadSuiteFile(f, { fixturesDir: 'fixtures' }),
        (f: string) => loadProfile(f),
      ]) {
        assert.throws(
          () => load(file),
          (e: unknown) => e instanceof CalspecError && e.exitCode === 2 && FILE_LINE_COL.test(e.message),
          file,
        );
      }
    }
    // A directory given where a file is expected.
    const asDir = mkdtempSync(join(dir, 'd')) + '/';
    assert.throws(
      () => loadProfile(`${asDir}`),
      (e: unknown) => e instanceof CalspecError && e.exitCode === 2,
      'directory as profile',
    );
    void folder;
  });
});
