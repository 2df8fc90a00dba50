// The canonical results record. Every reporter renders from this object alone.
import type { Exchange } from './exchange.js';
import type { Level } from './suite.js';

/**
 * passed: every check held. failed: a MUST-level requirement was violated.
 * non-strict: a SHOULD-level requirement was violated (fails CI only with --strict).
 * informational: behaviour recorded where the RFC leaves a choice (never fails).
 * skipped: not run (missing feature, second user missing...), reason given.
 * errored: the scenario could not be judged (transport error, bad capture, calspec bug).
 * expected-fail: failed, and the baseline says it is a known failure.
 * fixed: the baseline lists it as a known failure, yet it passed.
 */
export type Grade =
  'passed' | 'failed' | 'non-strict' | 'informational' | 'skipped' | 'errored' | 'expected-fail' | 'fixed';

export const GRADES: readonly Grade[] = [
  'passed',
  'failed',
  'non-strict',
  'informational',
  'skipped',
  'errored',
  'expected-fail',
  'fixed',
];

export interface CheckResult {
  kind: string;
  ok: boolean;
  /** Short description of what was checked, e.g. `status in [201]`. */
  description: string;
  /** What would have satisfied the check (h2spec style). */
  expected: string[];
  /** What was observed. */
  actual: string;
  /** file:line:col of the check in the suite. */
  at?: string;
}

export type StepPhase = 'calendar' | 'setup' | 'step' | 'teardown';

export interface StepResult {
  name: string;
  phase: StepPhase;
  exchange?: Exchange;
  checks: CheckResult[];
  /** Variables captured by this step (values of secrets never appear here). */
  captured?: Record<string, string>;
  /** Why the step could not be judged. */
  error?: string;
  /** An assumption of the scenario did not hold: the scenario does not apply to this target. */
  assumptionFailed?: string;
}

export interface ScenarioResult {
  /** `rfc4791/7.8/<id>` */
  key: string;
  id: string;
  suiteId: string;
  title: string;
  rfc: string;
  section: string;
  level: Level;
  requirement: string;
  covers: string[];
  requires: string[];
  grade: Grade;
  /** One line: the first failing check, the skip reason, or the error. */
  reason?: string;
  /** Baseline reason when grade is expected-fail or fixed. */
  baselineReason?: string;
  durationMs: number;
  steps: StepResult[];
  /** file:line of the scenario. */
  at: string;
}

export interface SuiteResult {
  id: string;
  title: string;
  rfc: string;
  section: string;
  file: string;
  scenarios: ScenarioResult[];
}

export type GradeCounts = Record<Grade, number>;

export interface TargetInfo {
  url: string;
  /** Label for matrix columns, e.g. `radicale`. */
  name?: string;
  profile?: string;
  user?: string;
  principal?: string;
  home?: string;
  serverHeader?: string;
  davClasses?: string[];
}

export interface CleanupRecord {
  created: string[];
  removed: string[];
  /** Paths calspec could not remove (printed so the user can act). */
  leftover: string[];
}

export interface CoverageRow {
  rfc: string;
  section: string;
  total: number;
  testable: number;
  covered: number;
  uncovered: string[];
}

export interface RunResults {
  schemaVersion: 1;
  kind: 'conformance';
  tool: { name: 'calspec'; version: string };
  runId: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  target: TargetInfo;
  strict: boolean;
  interrupted: boolean;
  summary: GradeCounts;
  /** Exit code the run decided on (0, 1, 3, 4...). */
  exitCode: number;
  suites: SuiteResult[];
  cleanup: CleanupRecord;
  coverage?: CoverageRow[];
  /** Run-level errors (discovery, cleanup) as one-liners. */
  notes: string[];
}

export function emptyCounts(): GradeCounts {
  return {
    passed: 0,
    failed: 0,
    'non-strict': 0,
    informational: 0,
    skipped: 0,
    errored: 0,
    'expected-fail': 0,
    fixed: 0,
  };
}

/** Several conformance runs, one per target, rendered as scenarios × servers. */
export interface MatrixResults {
  schemaVersion: 1;
  kind: 'matrix';
  tool: { name: 'calspec'; version: string };
  generatedAt: string;
  runs: RunResults[];
}

/** A cell of the interop matrix. */
export type MatrixCell =
  'pass' | 'non-strict' | 'fail' | 'skipped' | 'expected-fail' | 'error' | 'informational' | 'absent';
