// Assembling LoadResults from engine partials, and merging shard result files. Both paths go
// through the same label merge (encoded histograms added), so a merge of shards is as exact as
// a single run.
import { CalspecError, EXIT } from '../model/exit-codes.js';
import type { LoadResults } from '../model/load.js';
import { mergePartials, mergeTimelines, type LabelPartial, type Partial } from './stats.js';
import { evaluateThresholds, type Threshold } from './thresholds.js';

export const CLOSED_MODEL_WARNING =
  'closed model: each connection waits for its previous response, so a server stall ' +
  'delays the requests that would have been sent meanwhile and their latency is never ' +
  'recorded (coordinated omission); use --rate (open model) for latency you can trust';

export type ResultsMeta = Omit<
  LoadResults,
  'overall' | 'labels' | 'timeline' | 'thresholds' | 'exitCode' | 'schemaVersion' | 'kind'
>;

export function finishResults(
  meta: ResultsMeta,
  labels: LoadResults['labels'],
  overall: LoadResults['overall'],
  timeline: LoadResults['timeline'],
  thresholds: Threshold[],
): LoadResults {
  const base = { schemaVersion: 1 as const, kind: 'load' as const, ...meta, overall, labels, timeline };
  const evaluated = evaluateThresholds(thresholds, base);
  const exitCode = meta.interrupted ? EXIT.interrupted : evaluated.some((t) => !t.ok) ? EXIT.failures : EXIT.ok;
  return { ...base, thresholds: evaluated, exitCode };
}

export function resultsFromPartials(meta: ResultsMeta, partials: Partial[], thresholds: Threshold[]): LoadResults {
  const { labels, overall } = mergePartials(partials.map((p) => p.labels));
  const warnings = [
    ...meta.warnings,
    ...partials.flatMap((p) => p.samples.map((s) => `sampled validation failed: ${s}`)).slice(0, 10),
  ];
  return finishResults(
    { ...meta, warnings },
    labels,
    overall,
    mergeTimelines(partials.map((p) => p.timeline)),
    thresholds,
  );
}

/** Combine shard results. Durations overlap (shards run at the same time): the longest counts. */
export function mergeResults(inputs: { file: string; results: LoadResults }[], thresholds: Threshold[]): LoadResults {
  if (inputs.length === 0) throw new CalspecError('calspec merge: no input files', EXIT.usage);
  for (const { file, results } of inputs) {
    if (results?.kind !== 'load' || results.schemaVersion !== 1 || !Array.isArray(results.labels)) {
      throw new CalspecError(`${file}: not a calspec load-results.json (schemaVersion 1)`, EXIT.usage);
    }
  }
  const all = inputs.map((i) => i.results);
  const first = all[0]!;
  const models = new Set(all.map((r) => r.model));
  const warnings = [...new Set(all.flatMap((r) => r.warnings))];
  if (models.size > 1) warnings.push(`merged results mix open and closed models`);
  if (new Set(all.map((r) => r.workload)).size > 1)
    warnings.push(
      `merged results come from different workloads: ${[...new Set(all.map((r) => r.workload))].join(', ')}`,
    );
  const parts: LabelPartial[][] = all.map((r) => r.labels.map((l) => ({ ...l })));
  const { labels, overall } = mergePartials(parts);
  const rates = all.map((r) => r.rate).filter((r): r is number => r !== undefined);
  const meta: ResultsMeta = {
    tool: first.tool,
    runId: all.map((r) => r.runId).join('+'),
    startedAt: all.map((r) => r.startedAt).sort()[0]!,
    finishedAt: all
      .map((r) => r.finishedAt)
      .sort()
      .at(-1)!,
    target: first.target,
    workload: first.workload,
    model: first.model,
    connections: all.reduce((s, r) => s + r.connections, 0),
    ...(rates.length ? { rate: rates.reduce((s, r) => s + r, 0) } : {}),
    workers: all.reduce((s, r) => s + r.workers, 0),
    durationMs: Math.max(...all.map((r) => r.durationMs)),
    warmupMs: Math.max(...all.map((r) => r.warmupMs)),
    interrupted: all.some((r) => r.interrupted),
    warnings,
  };
  return finishResults(meta, labels, overall, mergeTimelines(all.map((r) => r.timeline)), thresholds);
}
