// Reporters render from results; they never send requests. Every hook is optional: a reporter
// implements the live hooks of a run (RunObserver) and one writer per kind of results it can
// render. The multiplexer isolates reporter errors so a broken reporter never kills a run.
import type { LoadResults } from '../model/load.js';
import type { RunObserver } from '../model/observer.js';
import type { MatrixResults, RunResults } from '../model/result.js';

export type { RunStartInfo } from '../model/observer.js';

export type AnyResults = RunResults | LoadResults | MatrixResults;

/** How files are written, shared by every kind of results. */
export interface WriteOptions {
  /** Path of the JSON record (default: results.json, load-results.json or matrix.json in outDir). */
  jsonFile?: string;
  /** The results already exist in this file: the json format copies it instead of re-serialising. */
  source?: string;
  /** One-line JSON (the committed interop matrix). */
  compact?: boolean;
}

export interface Reporter extends RunObserver {
  readonly name: string;
  /** Write output files under outDir; return their paths. */
  onRunEnd?(results: RunResults, outDir: string, options?: WriteOptions): Promise<string[]> | string[];
  onLoadEnd?(results: LoadResults, outDir: string, options?: WriteOptions): Promise<string[]> | string[];
  onMatrixEnd?(results: MatrixResults, outDir: string, options?: WriteOptions): Promise<string[]> | string[];
}
