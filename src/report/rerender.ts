// `calspec report`: re-render saved results (conformance, load or matrix) into other formats
// without re-running anything, through the same registry as the commands that produced them.
// Input is checked before any reporter runs, so a corrupt file is one clear line (exit 2).
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AnyResults } from './types.js';
import { writeReports } from './write.js';

export type { AnyResults } from './types.js';
/** RerenderError: the name `calspec report` and its tests use. */
export { ReportWriteError, ReportWriteError as RerenderError } from './write.js';

/** Corrupt or foreign input: `calspec report` turns it into exit 2 with this one line. */
export class ResultsInputError extends Error {}

export async function readResults(file: string): Promise<AnyResults> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ResultsInputError(`${file}: cannot read JSON (${reason.split('\n')[0]})`);
  }
  const kind = typeof parsed === 'object' && parsed !== null ? (parsed as { kind?: unknown }).kind : undefined;
  if (kind !== 'conformance' && kind !== 'load' && kind !== 'matrix') {
    throw new ResultsInputError(
      `${file}: not a calspec results file (kind is ${JSON.stringify(kind)}; expected conformance, load or matrix)`,
    );
  }
  const results = parsed as AnyResults;
  const problem = shapeProblem(results);
  if (problem) throw new ResultsInputError(`${file}: corrupt ${kind} results: ${problem}`);
  // Results written before the blocked grade existed have no count for it; reporters expect one.
  const runs = results.kind === 'matrix' ? results.runs : results.kind === 'conformance' ? [results] : [];
  for (const run of runs) run.summary.blocked ??= 0;
  return results;
}

const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The parts every reporter walks; a file missing them would crash a reporter half-way instead. */
function shapeProblem(r: AnyResults): string | undefined {
  if (r.kind === 'load') {
    if (!Array.isArray(r.labels) || !isObject(r.overall)) return 'labels (array) and overall (object) are required';
    return r.labels.every(isObject) ? undefined : 'every label must be an object';
  }
  const runs = r.kind === 'matrix' ? r.runs : [r];
  if (!Array.isArray(runs)) return 'runs must be an array';
  for (const [i, run] of runs.entries()) {
    const where = r.kind === 'matrix' ? `runs[${i}]: ` : '';
    if (!isObject(run) || !isObject(run.summary) || !Array.isArray(run.suites))
      return `${where}summary (object) and suites (array) are required`;
    for (const suite of run.suites)
      if (!isObject(suite) || !Array.isArray((suite as { scenarios?: unknown }).scenarios))
        return `${where}every suite needs a scenarios array`;
  }
  return undefined;
}

/** Writes each requested format into outDir (default: next to the results file); returns the paths. */
export async function rerender(
  resultsFile: string,
  formats: string[],
  outDir?: string,
  check?: (data: AnyResults) => void,
): Promise<string[]> {
  const data = await readResults(resultsFile);
  check?.(data);
  const dir = outDir ?? dirname(resultsFile);
  // Same JSON name whatever the kind: readers detect the kind from the file itself.
  return writeReports(data, formats, dir, { source: resultsFile, jsonFile: join(dir, 'results.json') });
}
