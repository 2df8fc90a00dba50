// `calspec matrix targets.yaml`: run the suites against every target, then write matrix.json,
// index.html and summary.md (plus each target's results.json for `calspec baseline update`).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CalspecError, EXIT } from '../model/exit-codes.js';
import type { MatrixResults } from '../model/result.js';
import { loadSuites } from '../suite/load.js';
import { writeMatrixResults } from '../report/write.js';
import { buildMatrix } from '../report/matrix-table.js';
import { FIXTURES_DIR, SUITES_DIR } from '../paths.js';
import { loadTargets } from '../matrix/targets.js';
import { runMatrix } from '../matrix/run.js';
import { attachCoverage } from './run.js';
import { trapInterrupts } from './interrupts.js';
import { flag, int, list, parse, str } from './args.js';
import { dropPassingExchanges } from '../engine/trim.js';

export const MATRIX_HELP = `Usage: calspec matrix TARGETS.yaml [SUITES...] [-o DIR] [options]

Runs the suites against every target of a targets file, one after the other (each in its own
sandbox), and writes DIR/matrix.json, DIR/index.html, DIR/summary.md and DIR/<name>/results.json.
Cells: pass, non-strict, fail, blocked, skipped, expected-fail, error, informational.

Targets file (errors are reported as file:line:col):
  suites: [../../suites]          # optional; relative paths are relative to the targets file
  targets:
    - name: radicale
      url: http://127.0.0.1:\${RADICALE_PORT:-5232}/   # or omit and let start print it
      profile: radicale            # features, quirks and baseline (fixtures/profiles/)
      user: test                   # or userEnv: VAR
      passwordFile: local.password # or passwordEnv: VAR (never inline)
      user2: user1                 # optional second user: password2File / password2Env
      start: ../servers/radicale.sh start   # optional, bash -c in the file's directory
      stop: ../servers/radicale.sh stop     # optional
      noAuth: true                 # servers without authentication (no user/password then)
      allowAccountWrites: true     # throwaway servers only: also run scenarios that write outside
                                   # the sandbox (scheduling delivers to the other user's inbox)

Options:
  -o, --out DIR       output directory (default reports/matrix-<date>)
  -j, --jobs N        scenarios in parallel per target (default 4)
  -f, --filter RE     only scenarios whose key matches
      --no-keep-alive every request on a new connection (servers slow on reused connections)
      --only A,B      only these targets
      --compact       record exchanges only for steps that failed, and write compact JSON
                      (what scripts/interop.sh commits in reports/interop/)

Exit codes: 0 every target passed (or failed as its baseline expects), 1 otherwise, 2 bad usage.`;

const OPTIONS = {
  out: { type: 'string', short: 'o' },
  jobs: { type: 'string', short: 'j' },
  filter: { type: 'string', short: 'f' },
  only: { type: 'string', multiple: true },
  compact: { type: 'boolean' },
  'no-keep-alive': { type: 'boolean' },
} as const;

export async function matrixCommand(argv: string[]): Promise<number> {
  const p = parse('matrix', argv, OPTIONS);
  const [file, ...suitePaths] = p.positionals;
  if (!file)
    throw new CalspecError('calspec matrix: a targets file is required (see calspec matrix --help)', EXIT.usage);
  const targets = loadTargets(file);
  const suites = loadSuites(suitePaths.length ? suitePaths : (targets.suites ?? [SUITES_DIR]), {
    fixturesDir: FIXTURES_DIR,
  });
  let filter: RegExp | undefined;
  try {
    if (str(p, 'filter')) filter = new RegExp(str(p, 'filter')!);
  } catch {
    throw new CalspecError(`--filter: invalid regular expression '${str(p, 'filter')}'`, EXIT.usage);
  }
  const only = list(p, 'only');
  const compact = flag(p, 'compact');
  for (const name of only) {
    if (!targets.targets.some((t) => t.name === name))
      throw new CalspecError(`--only: no target '${name}' in ${file}`, EXIT.usage);
  }
  const outDir = resolve(str(p, 'out') ?? join('reports', `matrix-${new Date().toISOString().slice(0, 10)}`));
  mkdirSync(outDir, { recursive: true });
  // Each target cleans up its own sandbox; a second signal leaves the current one to calspec cleanup.
  const interrupts = trapInterrupts(
    'finishing the current target with its cleanup',
    () => 'The current target may keep its calspec-<run-id> collections: see calspec cleanup.',
  );
  let matrix: MatrixResults;
  try {
    matrix = await runMatrix(targets, {
      suites,
      signal: interrupts.signal,
      log: (line) => process.stderr.write(`${line}\n`),
      ...(int(p, 'jobs', 1, 64) ? { jobs: int(p, 'jobs', 1, 64)! } : {}),
      ...(filter ? { filter } : {}),
      ...(only.length ? { only } : {}),
      ...(flag(p, 'no-keep-alive') ? { keepAlive: false } : {}),
      onRun: (t, run) => {
        attachCoverage(run, suites);
        if (compact) dropPassingExchanges(run);
        const dir = join(outDir, t.name);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'results.json'), `${JSON.stringify(run, null, 1)}\n`);
      },
    });
  } finally {
    interrupts.dispose();
  }
  await writeMatrixResults(matrix, outDir, compact);
  const table = buildMatrix(matrix);
  process.stdout.write(`${table.rows.length} scenarios × ${table.columns.length} targets\n`);
  for (const [i, col] of table.columns.entries()) {
    const counts = new Map<string, number>();
    for (const row of table.rows) counts.set(row.cells[i]!, (counts.get(row.cells[i]!) ?? 0) + 1);
    process.stdout.write(
      `  ${col.name.padEnd(14)} ${[...counts]
        .sort()
        .map(([c, n]) => `${c} ${n}`)
        .join(', ')}\n`,
    );
  }
  process.stdout.write(
    `reports: ${['matrix.json', 'index.html', 'summary.md'].map((f) => join(outDir, f)).join(', ')}\n`,
  );
  if (interrupts.signal.aborted) return EXIT.interrupted;
  return matrix.runs.every((r) => r.exitCode === EXIT.ok) ? EXIT.ok : EXIT.failures;
}
