// `calspec report`: re-render saved results (conformance, load or matrix) into other formats
// without re-running anything, through the same registry as the commands that produced them.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AnyResults } from './types.js';
import { writeReports } from './write.js';

export type { AnyResults } from './types.js';
/** RerenderError: the name `calspec report` and its tests use. */
export { ReportWriteError, ReportWriteError as RerenderError } from './write.js';

export async function readResults(file: string): Promise<AnyResults> {
  const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
  const kind = typeof parsed === 'object' && parsed !== null ? (parsed as { kind?: unknown }).kind : undefined;
  if (kind !== 'conformance' && kind !== 'load' && kind !== 'matrix') {
    throw new Error(
      `${file}: not a calspec results file (kind is ${JSON.stringify(kind)}; expected conformance, load or matrix)`,
    );
  }
  const results = parsed as AnyResults;
  // Results written before the blocked grade existed have no count for it; reporters expect one.
  const runs = results.kind === 'matrix' ? results.runs : results.kind === 'conformance' ? [results] : [];
  for (const run of runs) run.summary.blocked ??= 0;
  return results;
}

/** Writes each requested format into outDir (default: next to the results file); returns the paths. */
export async function rerender(resultsFile: string, formats: string[], outDir?: string): Promise<string[]> {
  const data = await readResults(resultsFile);
  const dir = outDir ?? dirname(resultsFile);
  // Same JSON name whatever the kind: readers detect the kind from the file itself.
  return writeReports(data, formats, dir, { source: resultsFile, jsonFile: join(dir, 'results.json') });
}
