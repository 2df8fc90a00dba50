// Writing finished results (a run, a load run or a matrix) in the requested formats. Each format
// is independent: one failing never stops the others, and every failure is reported at the end.
import { mkdir } from 'node:fs/promises';
import { findReporter, REPORTER_NAMES } from './registry.js';
import type { LoadResults } from '../model/load.js';
import type { MatrixResults } from '../model/result.js';
import type { AnyResults, Reporter, WriteOptions } from './types.js';

/** Thrown after every format was attempted; `written` lists what did succeed. */
export class ReportWriteError extends Error {
  constructor(
    readonly failures: { reporter: string; message: string }[],
    readonly written: string[],
  ) {
    super(
      `${failures.length} report format(s) failed: ${failures.map((f) => `${f.reporter}: ${f.message}`).join('; ')}`,
    );
    this.name = 'ReportWriteError';
  }
}

async function writeWith(reporter: Reporter, data: AnyResults, outDir: string, options: WriteOptions) {
  const hook =
    data.kind === 'conformance' ? reporter.onRunEnd : data.kind === 'load' ? reporter.onLoadEnd : reporter.onMatrixEnd;
  if (!hook) {
    const kinds = [reporter.onRunEnd && 'conformance', reporter.onLoadEnd && 'load', reporter.onMatrixEnd && 'matrix'];
    const can = kinds.filter(Boolean).join(' or ') || 'no saved';
    throw new Error(`${reporter.name} needs ${can} results, this file is kind ${data.kind}`);
  }
  // The hooks are typed per kind; `data.kind` selected the matching one above.
  return (hook as (d: AnyResults, o: string, w: WriteOptions) => Promise<string[]> | string[]).call(
    reporter,
    data,
    outDir,
    options,
  );
}

/** Writes each format into outDir; returns the paths, or throws ReportWriteError listing failures. */
export async function writeReports(
  data: AnyResults,
  formats: string[],
  outDir: string,
  options: WriteOptions = {},
): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  const failures: { reporter: string; message: string }[] = [];
  for (const format of formats) {
    try {
      const reporter = findReporter(format, { quiet: true });
      if (!reporter) throw new Error(`unknown format (known: ${REPORTER_NAMES.join(', ')})`);
      written.push(...(await writeWith(reporter, data, outDir, options)));
    } catch (err) {
      failures.push({ reporter: format, message: err instanceof Error ? err.message : String(err) });
    }
  }
  if (failures.length) throw new ReportWriteError(failures, written);
  return written;
}

/** A load run: load-results.json (or jsonFile) and index.html. The JSON is the contract, so an HTML
 *  failure is only warned about. */
export async function writeLoadResults(
  results: LoadResults,
  outDir: string,
  jsonFile?: string,
  warn: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<string[]> {
  try {
    return await writeReports(results, ['json', 'html'], outDir, jsonFile ? { jsonFile } : {});
  } catch (error) {
    if (!(error instanceof ReportWriteError) || error.failures.some((f) => f.reporter === 'json')) throw error;
    warn(`calspec: ${error.message}`);
    return error.written;
  }
}

/** A matrix: matrix.json, index.html and summary.md. */
export function writeMatrixResults(matrix: MatrixResults, outDir: string, compact = false): Promise<string[]> {
  return writeReports(matrix, ['json', 'html', 'markdown'], outDir, { compact });
}
