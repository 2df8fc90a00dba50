// Load-mode results. Histograms travel encoded (HdrHistogram base64) so shard results merge losslessly.

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

export interface LabelStats {
  label: string;
  requests: number;
  /** Responses that failed sampled correctness validation or had an unexpected status. */
  errors: number;
  statusCounts: Record<string, number>;
  /** timeout / reset / 4xx / 5xx / wrong-body / other */
  errorClasses: Record<string, number>;
  /** Latency in microseconds. */
  latencyUs: LatencySummary;
  /** Encoded HdrHistogram (microseconds), for lossless merging. */
  histogram: string;
}

export interface ThroughputPoint {
  /** Seconds since measurement start. */
  t: number;
  requests: number;
  errors: number;
}

export interface ThresholdResult {
  expression: string;
  ok: boolean;
  actual: string;
}

export interface LoadResults {
  schemaVersion: 1;
  kind: 'load';
  tool: { name: 'calspec'; version: string };
  runId: string;
  startedAt: string;
  finishedAt: string;
  target: { url: string; name?: string };
  workload: string;
  model: 'closed' | 'open';
  connections: number;
  /** Open model only: intended requests per second. */
  rate?: number;
  workers: number;
  shard?: { index: number; count: number };
  durationMs: number;
  warmupMs: number;
  interrupted: boolean;
  /** Set for the closed model: latencies may hide coordinated omission. */
  warnings: string[];
  overall: LabelStats;
  labels: LabelStats[];
  timeline: ThroughputPoint[];
  thresholds: ThresholdResult[];
  exitCode: number;
}
