// The JSON record every other format renders from (and `calspec report` re-reads): results.json for
// a run, load-results.json for a load run, matrix.json for a matrix.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Reporter, WriteOptions } from './types.js';

function writeRecord(data: unknown, file: string, indent: number, options: WriteOptions = {}): string[] {
  mkdirSync(dirname(file), { recursive: true });
  if (options.source) {
    // Re-rendering: the saved file is the record; copy its bytes rather than re-serialise them.
    if (resolve(file) !== resolve(options.source)) copyFileSync(options.source, file);
    return [file];
  }
  writeFileSync(file, `${options.compact ? JSON.stringify(data) : JSON.stringify(data, null, indent)}\n`);
  return [file];
}

export const jsonReporter: Reporter = {
  name: 'json',
  onRunEnd(results, outDir, options) {
    return writeRecord(results, options?.jsonFile ?? join(outDir, 'results.json'), 1, options);
  },
  onLoadEnd(results, outDir, options) {
    return writeRecord(results, options?.jsonFile ?? join(outDir, 'load-results.json'), 2, options);
  },
  onMatrixEnd(results, outDir, options) {
    return writeRecord(results, options?.jsonFile ?? join(outDir, 'matrix.json'), 1, options);
  },
};
