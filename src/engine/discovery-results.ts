// When the bootstrap meets a violation, the run still ends in a full results record: the discovery
// scenarios that own the broken requirements fail with the bootstrap's exchanges, every other
// selected scenario is blocked behind them (nothing was tested without a trustworthy principal and
// home), and the run exits 1. Reporters render it like any other run.
import type { RunResults, ScenarioResult, StepResult, SuiteResult } from '../model/result.js';
import { emptyCounts } from '../model/result.js';
import { scenarioKey, type ScenarioSpec, type SuiteSpec } from '../model/suite.js';
import { EXIT } from '../model/exit-codes.js';
import type { RunObserver } from '../model/observer.js';
import type { Redactor } from '../dav/redact.js';
import { findingLine, type DiscoveryFailed, type DiscoveryFinding } from '../dav/discovery-findings.js';
import { Baseline } from '../profile/baseline-apply.js';
import type { BaselineEntry, ServerProfile } from '../model/profile.js';
import { gradeSteps, unjudgedResult } from './grade.js';
import { trimResults } from './trim.js';
import { VERSION } from '../version.js';

export interface DiscoveryFailureRun {
  failure: DiscoveryFailed;
  runId: string;
  started: Date;
  baseUrl: string;
  user: string;
  suites: SuiteSpec[];
  filter?: (key: string) => boolean;
  profile?: ServerProfile;
  baseline?: BaselineEntry[];
  strict?: boolean;
  targetName?: string;
  reporter?: RunObserver;
  notes: string[];
  redactor: Redactor;
  /** Run-level fields computed before discovery (e.g. the connection check), passed through. */
  extra?: Partial<RunResults>;
}

export function discoveryFailedResults(run: DiscoveryFailureRun): RunResults {
  const { failure, runId, baseUrl } = run;
  const byKey = new Map<string, DiscoveryFinding[]>();
  for (const f of failure.findings) byKey.set(f.requirement.key, [...(byKey.get(f.requirement.key) ?? []), f]);
  const specs = new Map<string, { suite: SuiteSpec; scenario: ScenarioSpec }>();
  for (const suite of run.suites)
    for (const scenario of suite.scenarios) specs.set(scenarioKey(suite, scenario.id), { suite, scenario });
  const first = failure.findings[0]!;
  const blockReason = `discovery failed — ${findingLine(first)} (${first.requirement.key} tests it directly)`;

  const baseline = new Baseline(run.baseline ?? run.profile?.baseline ?? []);
  const verdicts = [...byKey].map(([key, findings]) => judged(key, findings, specs.get(key)));
  const blocked = run.suites.flatMap((suite) =>
    suite.scenarios
      .map((scenario) => ({ suite, scenario, key: scenarioKey(suite, scenario.id) }))
      .filter(({ key }) => !byKey.has(key) && (!run.filter || run.filter(key)))
      .map(({ suite, scenario }) => ({
        ...unjudgedResult(suite, scenario),
        grade: 'blocked' as const,
        reason: blockReason,
      })),
  );
  const all = [...verdicts, ...blocked];
  run.reporter?.onRunStart?.({ runId, target: baseUrl, scenarioCount: all.length });
  all.forEach((r, i) => {
    baseline.apply(r);
    run.reporter?.onScenarioEnd?.(r, i + 1, all.length);
  });

  // Suites in load order; a discovery scenario from a suite that was not loaded gets its own entry.
  const suites: SuiteResult[] = run.suites.map((suite) => ({
    id: suite.id,
    title: suite.title,
    rfc: suite.rfc,
    section: suite.section,
    file: suite.file,
    scenarios: all.filter((r) => r.suiteId === suite.id),
  }));
  for (const r of verdicts.filter((v) => !run.suites.some((s) => s.id === v.suiteId)))
    suites.unshift({ id: r.suiteId, title: r.title, rfc: r.rfc, section: r.section, file: r.at, scenarios: [r] });
  const summary = emptyCounts();
  for (const r of all) summary[r.grade]++;
  const finished = new Date();
  const target: RunResults['target'] = { url: baseUrl, user: run.user, davClasses: failure.partial.davClasses };
  // What the bootstrap found describes the target only when it was the first user's discovery.
  if (first.user === run.user && failure.partial.principal) target.principal = failure.partial.principal;
  if (first.user === run.user && failure.partial.home) target.home = failure.partial.home;
  if (failure.partial.serverHeader) target.serverHeader = failure.partial.serverHeader;
  if (run.targetName) target.name = run.targetName;
  if (run.profile) target.profile = run.profile.name;
  return trimResults(
    {
      schemaVersion: 1,
      kind: 'conformance',
      tool: { name: 'calspec', version: VERSION },
      runId,
      startedAt: run.started.toISOString(),
      finishedAt: finished.toISOString(),
      durationMs: finished.getTime() - run.started.getTime(),
      target,
      strict: Boolean(run.strict),
      interrupted: false,
      summary,
      // Nothing beyond discovery was tested, so the run fails even when the violation is a SHOULD
      // or known to the baseline: a gate must not pass on an untested server.
      exitCode: EXIT.failures,
      suites: suites.filter((s) => s.scenarios.length > 0),
      cleanup: { created: [], removed: [], leftover: [] },
      notes: [...run.notes, ...failure.findings.map((f) => `${f.user}: discovery failed — ${findingLine(f)}`)],
      ...run.extra,
    },
    run.redactor,
  );
}

/** The discovery scenario, graded on the bootstrap's own exchanges like any step. */
function judged(
  key: string,
  findings: DiscoveryFinding[],
  spec: { suite: SuiteSpec; scenario: ScenarioSpec } | undefined,
): ScenarioResult {
  const req = findings[0]!.requirement;
  const steps: StepResult[] = findings.map((f) => ({
    name: `discovery as ${f.user}`,
    phase: 'step',
    ...(f.exchange ? { exchange: f.exchange } : {}),
    checks: [
      {
        kind: 'discovery',
        ok: false,
        description: `${f.requirement.cite}: ${f.description}`,
        expected: f.expected,
        actual: f.actual,
      },
    ],
  }));
  const result: ScenarioResult = spec
    ? unjudgedResult(spec.suite, spec.scenario)
    : {
        key,
        id: key.split('/')[2]!,
        suiteId: `rfc${req.rfc}-${req.section}`,
        title: req.title,
        rfc: req.rfc,
        section: req.section,
        level: req.level,
        requirement: req.requirement,
        covers: [],
        requires: [],
        grade: 'failed',
        durationMs: 0,
        steps: [],
        at: 'src/dav/bootstrap.ts',
      };
  const verdict = gradeSteps(steps, result.level, spec?.scenario.mode ?? 'normative', { key });
  return { ...result, steps, grade: verdict.grade, ...(verdict.reason ? { reason: verdict.reason } : {}) };
}
