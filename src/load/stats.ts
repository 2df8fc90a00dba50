// Per-label counters for the hot path, and their plain-data form that crosses worker and shard
// boundaries. Recording is O(1) with no allocation: a histogram bucket increment, a few counters.
import type { LabelStats, ThroughputPoint } from '../model/load.js';
import { encodeHistogram, mergeEncoded, newHistogram, summarize, type Histogram } from './histogram.js';

export type ErrorClass = 'timeout' | 'reset' | '4xx' | '5xx' | 'wrong-body' | 'other';

/** What a worker sends back: everything encoded, nothing derived (percentiles are computed after merging). */
export interface LabelPartial {
  label: string;
  requests: number;
  errors: number;
  statusCounts: Record<string, number>;
  errorClasses: Record<string, number>;
  histogram: string;
}

export interface Partial {
  labels: LabelPartial[];
  /** requests and errors per second since the measurement start. */
  timeline: ThroughputPoint[];
  /** Requests sent during warm-up (not measured). */
  warmupRequests: number;
  /** New connections opened after the first one of each connection slot (server closes, errors). */
  reconnects: number;
  /** A few one-line descriptions of failed validations, for the report. */
  samples: string[];
  /** From the end of warm-up to the last measured response (shorter than planned at a cap or stop). */
  measuredMs: number;
}

// Status keys as interned strings: no number-to-string conversion per recorded request.
const STATUS_KEYS: string[] = Array.from({ length: 600 }, (_, i) => (i === 0 ? 'none' : String(i)));

export class LabelRecorder {
  readonly histogram: Histogram = newHistogram();
  requests = 0;
  errors = 0;
  // Status codes are few (200, 207, 404...), so a small object beats a Map here.
  readonly statusCounts: Record<string, number> = {};
  readonly errorClasses: Record<string, number> = {};

  constructor(readonly label: string) {}

  record(latencyUs: number, status: number, error: ErrorClass | undefined): void {
    this.histogram.recordValue(latencyUs < 1 ? 1 : latencyUs);
    this.requests++;
    const key = STATUS_KEYS[status] ?? String(status);
    this.statusCounts[key] = (this.statusCounts[key] ?? 0) + 1;
    if (error !== undefined) {
      this.errors++;
      this.errorClasses[error] = (this.errorClasses[error] ?? 0) + 1;
    }
  }

  partial(): LabelPartial {
    return {
      label: this.label,
      requests: this.requests,
      errors: this.errors,
      statusCounts: this.statusCounts,
      errorClasses: this.errorClasses,
      histogram: encodeHistogram(this.histogram),
    };
  }
}

/** 1-second buckets; sized for the run so recording never grows an array. */
export class Timeline {
  readonly requests: Uint32Array;
  readonly errors: Uint32Array;
  constructor(seconds: number) {
    this.requests = new Uint32Array(Math.max(1, Math.ceil(seconds) + 2));
    this.errors = new Uint32Array(this.requests.length);
  }
  record(secondsSinceStart: number, error: boolean): void {
    const i = Math.min(this.requests.length - 1, Math.max(0, Math.floor(secondsSinceStart)));
    this.requests[i]!++;
    if (error) this.errors[i]!++;
  }
  points(): ThroughputPoint[] {
    let last = this.requests.length;
    while (last > 0 && this.requests[last - 1] === 0) last--;
    return Array.from({ length: last }, (_, t) => ({ t, requests: this.requests[t]!, errors: this.errors[t]! }));
  }
}

function addCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

/** Merge label partials with the same label; the histogram sum is exact. */
export function mergeLabel(label: string, parts: LabelPartial[]): LabelStats {
  const statusCounts: Record<string, number> = {};
  const errorClasses: Record<string, number> = {};
  let requests = 0;
  let errors = 0;
  for (const p of parts) {
    requests += p.requests;
    errors += p.errors;
    addCounts(statusCounts, p.statusCounts);
    addCounts(errorClasses, p.errorClasses);
  }
  const h = mergeEncoded(parts.map((p) => p.histogram));
  return {
    label,
    requests,
    errors,
    statusCounts,
    errorClasses,
    latencyUs: summarize(h),
    histogram: encodeHistogram(h),
  };
}

/** Per-label stats (first-seen order) plus the overall row, from any number of partials. */
export function mergePartials(parts: LabelPartial[][]): { labels: LabelStats[]; overall: LabelStats } {
  const byLabel = new Map<string, LabelPartial[]>();
  for (const list of parts) for (const p of list) byLabel.set(p.label, [...(byLabel.get(p.label) ?? []), p]);
  const labels = [...byLabel.entries()].map(([label, ps]) => mergeLabel(label, ps));
  const overall = mergeLabel('overall', labels);
  return { labels, overall };
}

export function mergeTimelines(timelines: ThroughputPoint[][]): ThroughputPoint[] {
  const out: ThroughputPoint[] = [];
  for (const tl of timelines) {
    for (const p of tl) {
      const slot = (out[p.t] ??= { t: p.t, requests: 0, errors: 0 });
      slot.requests += p.requests;
      slot.errors += p.errors;
    }
  }
  return Array.from({ length: out.length }, (_, t) => out[t] ?? { t, requests: 0, errors: 0 });
}
