// The canonical results record. Every reporter renders from this object alone.
import type { Exchange } from './exchange.js';
import type { Level } from './suite.js';

/**
 * passed: every check held. failed: a MUST-level requirement was violated.
 * non-strict: a SHOULD-level requirement was violated (fails CI only with --strict).
 * informational: behaviour recorded where the RFC leaves a choice (never fails).
 * skipped: not run (missing feature, second user missing...), reason given.
 * errored: the scenario could not be judged (transport error, bad capture, calspec bug).
 * blocked: a setup operation (the scenario calendar, a `setup:` step) failed, so the requirement
 *   was never put to the test; the reason names the operation and the scenario that tests it.
 * expected-fail: failed, and the baseline says it is a known failure.
 * fixed: the baseline lists it as a known failure, yet it passed.
 */
export type Grade =
  'passed' | 'failed' | 'non-strict' | 'informational' | 'skipped' | 'errored' | 'blocked' | 'expected-fail' | 'fixed';

export const GRADES: readonly Grade[] = [
  'passed',
  'failed',
  'non-strict',
  'informational',
  'skipped',
  'errored',
  'blocked',
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
  /**
   * Informational remarks that never change `ok`: e.g. what a server legally changed in a stored
   * calendar object ("server added CLASS:PUBLIC (the default, RFC 5545 §3.8.1.3)").
   */
  notes?: string[];
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
  /**
   * Objects written into a collection that turned out never to exist, with a name lacking the run
   * prefix: a server that filed them elsewhere (the home) left them where no name can find them.
   */
  unaccounted?: string[];
}

/**
 * present: the scenarios run. absent: the target does not offer it, so scenarios needing it are
 * skipped with the evidence. broken: claimed (e.g. DAV class 2) or half there, so they run and fail.
 */
export type CapabilityState = 'present' | 'absent' | 'broken';

/** probe: decided by a request this run made. profile: pinned in the profile. default: not probed, assumed present. */
export type CapabilitySource = 'probe' | 'profile' | 'default';

/** One request a capability probe made, as a one-liner. */
export interface ProbeRequest {
  method: string;
  url: string;
  status?: number;
  error?: string;
}

export interface Capability {
  /** A profile feature name, e.g. `lock`. */
  feature: string;
  state: CapabilityState;
  source: CapabilitySource;
  /** One line: what the probe observed, what the profile says, or why nothing was probed. */
  evidence: string;
  /** The requests the verdict rests on (source probe). */
  requests?: ProbeRequest[];
}

export interface CapabilityReport {
  /** False with --no-probe. */
  probed: boolean;
  /** Wall-clock time spent probing, cleanup of what the probes created included. */
  probeMs: number;
  /** Number of requests the probes sent. */
  requestCount: number;
  capabilities: Capability[];
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
  /** The optional capabilities the selected scenarios depend on, as probed or pinned (absent in old files). */
  capabilities?: CapabilityReport;
  /** Run-level errors (discovery, cleanup) as one-liners. */
  notes: string[];
  /** Whether connections were reused and why not (absent in old files). */
  connection?: ConnectionInfo;
}

/** How a run used connections: keep-alive on, or off by --no-keep-alive or by the connection check. */
export interface ConnectionInfo {
  keepAlive: boolean;
  /** 'option': --no-keep-alive; 'check': measured at the start of the run; 'none': not measured. */
  decidedBy: 'option' | 'check' | 'none';
  /** One line for reports, e.g. why keep-alive was switched off. */
  reason: string;
  /** Connection check: median response time on fresh and on reused connections, in ms. */
  freshMedianMs?: number;
  reusedMedianMs?: number;
  /** Reused-connection samples that hit the check's time limit (their time is a lower bound). */
  reusedTimedOut?: number;
}

export function emptyCounts(): GradeCounts {
  return {
    passed: 0,
    failed: 0,
    'non-strict': 0,
    informational: 0,
    skipped: 0,
    errored: 0,
    blocked: 0,
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
  'pass' | 'non-strict' | 'fail' | 'skipped' | 'expected-fail' | 'error' | 'blocked' | 'informational' | 'absent';
