// results.json: the canonical record every other format renders from (and `calspec report` re-reads).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Reporter } from './types.js';

export function writeJson(outDir: string, name: string, data: unknown): string {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, name);
  writeFileSync(file, `${JSON.stringify(data, null, 1)}\n`);
  return file;
}

export const jsonReporter: Reporter = {
  name: 'json',
  onRunEnd(results, outDir) {
    return [writeJson(outDir, 'results.json', results)];
  },
};
