// `calspec merge`: combine the load-results.json of several shards into one, exactly: encoded
// histograms are decoded and added, so merged percentiles are those of one run over all requests.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CalspecError, EXIT } from '../model/exit-codes.js';
import type { LoadResults } from '../model/load.js';
import { formatLoadResults } from '../load/console.js';
import { mergeResults } from '../load/results.js';
import { decodeHistogram } from '../load/histogram.js';
import { parseThreshold } from '../load/thresholds.js';
import { list, parse, str } from './args.js';
import { writeLoadResults } from '../report/write.js';

export const MERGE_HELP = `Usage: calspec merge A.json B.json ... -o merged.json [--threshold EXPR ...]

Combines load-results.json files of the shards of one run (calspec load --shard I/N) into one
LoadResults: request and error counts add, histograms add exactly, percentiles are recomputed.
Thresholds are evaluated on the merged result (exit 1 when one is crossed).

  -o, --out FILE        merged results (an index.html is written next to it when available)
      --threshold EXPR  as for calspec load

An input that is not JSON, not a load-results.json, or whose encoded histograms do not decode
exits 2 with one line naming the file and the problem; nothing is written.`;

export async function mergeCommand(argv: string[]): Promise<number> {
  const p = parse('merge', argv, {
    out: { type: 'string', short: 'o' },
    threshold: { type: 'string', multiple: true },
  });
  if (p.positionals.length === 0)
    throw new CalspecError('calspec merge: give the load-results.json files to merge', EXIT.usage);
  const out = str(p, 'out');
  if (!out) throw new CalspecError('calspec merge: -o FILE is required', EXIT.usage);
  const inputs = p.positionals.map((file) => ({ file, results: readLoadResults(file) }));
  const merged = mergeResults(inputs, list(p, 'threshold').map(parseThreshold));
  const target = resolve(out);
  const files = await writeLoadResults(merged, dirname(target), target);
  process.stdout.write(formatLoadResults(merged));
  process.stdout.write(`merged ${inputs.length} files: ${files.join(', ')}\n`);
  return merged.exitCode;
}

/** One load-results.json, checked far enough that merging it cannot fail half-way (exit 2 naming the file). */
export function readLoadResults(file: string): LoadResults {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new CalspecError(`${file}: cannot read JSON (${reason.split('\n')[0]})`, EXIT.usage);
  }
  const r = parsed as Partial<LoadResults> | null;
  if (typeof r !== 'object' || r === null || r.kind !== 'load' || r.schemaVersion !== 1 || !Array.isArray(r.labels))
    throw new CalspecError(
      `${file}: not a calspec load-results.json (kind is ${JSON.stringify(r?.kind)}, schemaVersion 1 expected)`,
      EXIT.usage,
    );
  checkHistograms(file, r as LoadResults);
  return r as LoadResults;
}

/** Every label's encoded histogram must decode: a corrupt one would otherwise surface as an internal error. */
export function checkHistograms(file: string, results: LoadResults): void {
  for (const [i, label] of results.labels.entries()) {
    const name = typeof label?.label === 'string' ? `'${label.label}'` : `#${i + 1}`;
    if (typeof label?.histogram !== 'string')
      throw new CalspecError(`${file}: label ${name} has no encoded histogram`, EXIT.usage);
    try {
      decodeHistogram(label.histogram);
    } catch (error) {
      const reason = (error as Error).message.split('\n')[0];
      throw new CalspecError(`${file}: label ${name}: corrupt encoded histogram (${reason})`, EXIT.usage);
    }
  }
}
