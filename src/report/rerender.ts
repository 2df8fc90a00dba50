// `calspec report`: re-render saved results (conformance, load or matrix) into other formats
// without re-running anything. Each format is independent: one failing never stops the others.
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { LoadResults } from '../model/load.js';
import type { MatrixResults, RunResults } from '../model/result.js';
import { writeHtml } from './html/index.js';
import { renderJUnit } from './junit.js';
import { writeMarkdown } from './markdown.js';

export type AnyResults = RunResults | LoadResults | MatrixResults;

export const RERENDER_FORMATS = ['html', 'junit', 'markdown', 'json'] as const;

/** Thrown after every format was attempted; `written` lists what did succeed. */
export class RerenderError extends Error {
  constructor(
    readonly failures: { reporter: string; message: string }[],
    readonly written: string[],
  ) {
    super(`${failures.length} report format(s) failed: ${failures.map((f) => `${f.reporter}: ${f.message}`).join('; ')}`);
    this.name = 'RerenderError';
  }
}

export async function readResults(file: string): Promise<AnyResults> {
  const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
  const kind = typeof parsed === 'object' && parsed !== null ? (parsed as { kind?: unknown }).kind : undefined;
  if (kind !== 'conformance' && kind !== 'load' && kind !== 'matrix') {
    throw new Error(`${file}: not a calspec results file (kind is ${JSON.stringify(kind)}; expected conformance, load or matrix)`);
  }
  return parsed as AnyResults;
}

async function renderOne(format: string, data: AnyResults, source: string, outDir: string): Promise<string> {
  switch (format) {
    case 'html':
      return writeHtml(data, outDir);
    case 'markdown':
    case 'md':
      return writeMarkdown(data, outDir);
    case 'junit': {
      if (data.kind !== 'conformance') throw new Error(`junit needs conformance results, this file is kind ${data.kind}`);
      const path = join(outDir, 'junit.xml');
      await writeFile(path, renderJUnit(data), 'utf8');
      return path;
    }
    case 'json': {
      // Same name whatever the kind: readers detect the kind from the file itself.
      const path = join(outDir, 'results.json');
      if (resolve(path) !== resolve(source)) await copyFile(source, path);
      return path;
    }
    default:
      throw new Error(`unknown format (known: ${RERENDER_FORMATS.join(', ')})`);
  }
}

/** Writes each requested format into outDir (default: next to the results file); returns the paths. */
export async function rerender(resultsFile: string, reporters: string[], outDir?: string): Promise<string[]> {
  const data = await readResults(resultsFile);
  const dir = outDir ?? dirname(resultsFile);
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  const failures: { reporter: string; message: string }[] = [];
  for (const format of reporters) {
    try {
      written.push(await renderOne(format, data, resultsFile, dir));
    } catch (err) {
      failures.push({ reporter: format, message: err instanceof Error ? err.message : String(err) });
    }
  }
  if (failures.length) throw new RerenderError(failures, written);
  return written;
}
