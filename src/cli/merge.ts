// `calspec merge`: combine the load-results.json of several shards into one, exactly: encoded
// histograms are decoded and added, so merged percentiles are those of one run over all requests.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CalspecError, EXIT } from '../model/exit-codes.js';
import type { LoadResults } from '../model/load.js';
import { formatLoadResults } from '../load/console.js';
import { mergeResults } from '../load/results.js';
import { parseThreshold } from '../load/thresholds.js';
import { list, parse, str } from './args.js';
import { writeLoadResults } from '../report/write.js';

export const MERGE_HELP = `Usage: calspec merge A.json B.json ... -o merged.json [--threshold EXPR ...]

Combines load-results.json files of the shards of one run (calspec load --shard I/N) into one
LoadResults: request and error counts add, histograms add exactly, percentiles are recomputed.
Thresholds are evaluated on the merged result (exit 1 when one is crossed).

  -o, --out FILE        merged results (an index.html is written next to it when available)
      --threshold EXPR  as for calspec load`;

export async function mergeCommand(argv: string[]): Promise<number> {
  const p = parse('merge', argv, {
    out: { type: 'string', short: 'o' },
    threshold: { type: 'string', multiple: true },
  });
  if (p.positionals.length === 0)
    throw new CalspecError('calspec merge: give the load-results.json files to merge', EXIT.usage);
  const out = str(p, 'out');
  if (!out) throw new CalspecError('calspec merge: -o FILE is required', EXIT.usage);
  const inputs = p.positionals.map((file) => {
    try {
      return { file, results: JSON.parse(readFileSync(file, 'utf8')) as LoadResults };
    } catch (error) {
      throw new CalspecError(`${file}: cannot read JSON (${(error as Error).message.split('\n')[0]})`, EXIT.usage);
    }
  });
  const merged = mergeResults(inputs, list(p, 'threshold').map(parseThreshold));
  const target = resolve(out);
  const files = await writeLoadResults(merged, dirname(target), target);
  process.stdout.write(formatLoadResults(merged));
  process.stdout.write(`merged ${inputs.length} files: ${files.join(', ')}\n`);
  return merged.exitCode;
}
