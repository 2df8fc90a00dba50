// Thresholds gate CI on load results: `p99<200ms`, `errors<0.1%`, `calendar-query:p95<50ms`,
// `rps>500`. Percentiles are read from the merged histogram, so any percentile works (p95, p99.99).
import { CalspecError, EXIT } from '../model/exit-codes.js';
import type { LabelStats, LoadResults, ThresholdResult } from '../model/load.js';
import { decodeHistogram } from './histogram.js';

export interface Threshold {
  expression: string;
  label?: string;
  metric: string;
  op: '<' | '<=' | '>' | '>=';
  /** Microseconds for latencies, a fraction for `errors` with %, a count otherwise. */
  value: number;
  percent: boolean;
}

const RE = new RegExp(
  '^(?:([A-Za-z0-9._/-]+):)?(p\\d+(?:\\.\\d+)?|max|mean|errors|rps|requests)' +
    '\\s*(<=|>=|<|>)\\s*(\\d+(?:\\.\\d+)?)\\s*(us|µs|ms|s|%)?$',
);

export function parseThreshold(expression: string): Threshold {
  const m = RE.exec(expression.trim());
  if (!m)
    throw new CalspecError(
      `--threshold '${expression}': expected [LABEL:]METRIC<VALUE, ` +
        `e.g. 'p99<200ms', 'errors<0.1%', 'calendar-query:p95<50ms', 'rps>100'`,
      EXIT.usage,
    );
  const [, label, metric, op, num, unit] = m as unknown as [
    string,
    string | undefined,
    string,
    Threshold['op'],
    string,
    string | undefined,
  ];
  const n = Number(num);
  const latency = metric.startsWith('p') || metric === 'max' || metric === 'mean';
  if (latency && (unit === '%' || unit === undefined))
    throw new CalspecError(`--threshold '${expression}': a latency needs a time unit (us, ms, s)`, EXIT.usage);
  if (!latency && unit && unit !== '%')
    throw new CalspecError(`--threshold '${expression}': ${metric} takes no time unit`, EXIT.usage);
  if (metric.startsWith('p') && Number(metric.slice(1)) > 100)
    throw new CalspecError(`--threshold '${expression}': percentile above 100`, EXIT.usage);
  if (unit === '%' && metric !== 'errors')
    throw new CalspecError(`--threshold '${expression}': only errors take %`, EXIT.usage);
  const value = latency ? n * (unit === 's' ? 1e6 : unit === 'ms' ? 1e3 : 1) : unit === '%' ? n / 100 : n;
  return { expression, ...(label ? { label } : {}), metric, op, value, percent: unit === '%' };
}

function measure(t: Threshold, stats: LabelStats, seconds: number): number {
  if (t.metric === 'errors') return t.percent ? (stats.requests ? stats.errors / stats.requests : 0) : stats.errors;
  if (t.metric === 'rps') return seconds > 0 ? stats.requests / seconds : 0;
  if (t.metric === 'requests') return stats.requests;
  if (t.metric === 'max') return stats.latencyUs.max;
  if (t.metric === 'mean') return stats.latencyUs.mean;
  return decodeHistogram(stats.histogram).getValueAtPercentile(Number(t.metric.slice(1)));
}

function show(t: Threshold, v: number): string {
  if (t.metric === 'errors' && t.percent) return `${(v * 100).toFixed(3)}%`;
  if (t.metric === 'errors' || t.metric === 'requests') return String(v);
  if (t.metric === 'rps') return `${v.toFixed(1)}/s`;
  return `${(v / 1000).toFixed(2)}ms`;
}

export function evaluateThresholds(
  thresholds: Threshold[],
  results: Pick<LoadResults, 'overall' | 'labels' | 'durationMs'>,
): ThresholdResult[] {
  return thresholds.map((t) => {
    const stats = t.label ? results.labels.find((l) => l.label === t.label) : results.overall;
    if (!stats)
      return {
        expression: t.expression,
        ok: false,
        actual: `no label '${t.label}' (labels: ${results.labels.map((l) => l.label).join(', ')})`,
      };
    const v = measure(t, stats, results.durationMs / 1000);
    const ok = t.op === '<' ? v < t.value : t.op === '<=' ? v <= t.value : t.op === '>' ? v > t.value : v >= t.value;
    return { expression: t.expression, ok, actual: show(t, v) };
  });
}
