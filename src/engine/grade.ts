// From step outcomes to a grade (h2spec/Autobahn style): MUST violations fail, SHOULD violations
// are non-strict, MAY and informational scenarios only record behaviour. A failure while preparing
// the scenario (its calendar, its `setup:` steps) is not the verdict on the scenario's requirement:
// that scenario is blocked and names the scenario that tests the broken operation directly.
// The baseline (src/profile/baseline-apply.ts) then turns known failures into expected-fail.
import type { Grade, ScenarioResult, StepResult } from '../model/result.js';
import { scenarioKey, type Level, type ScenarioMode, type ScenarioSpec, type SuiteSpec } from '../model/suite.js';
import { CALENDAR_IS_CALENDAR, directTest } from './direct-tests.js';

export interface GradeContext {
  /** The scenario's own key: a setup operation whose direct test is this scenario is its verdict. */
  key?: string;
  /** The run was interrupted: a request cut by Ctrl-C says nothing about the server. */
  interrupted?: boolean;
}

export interface Verdict {
  grade: Grade;
  reason?: string;
}

export function gradeSteps(steps: StepResult[], level: Level, mode: ScenarioMode, context: GradeContext = {}): Verdict {
  const judged = steps.filter((s) => s.phase !== 'teardown');
  const assumption = judged.find((s) => s.assumptionFailed);
  if (assumption)
    return {
      grade: 'skipped',
      reason: `does not apply to this target: ${assumption.name}: ${assumption.assumptionFailed}`,
    };
  const first = judged.find((s) => s.error || s.checks.some((c) => !c.ok));
  if (first && first.phase === 'setup') {
    const blocked = blockedBy(first, judged.slice(0, judged.indexOf(first)), 'setup failed', context);
    if (blocked) return blocked;
  }
  const errored = judged.find((s) => s.error && !s.checks.some((c) => !c.ok));
  const failedStep = judged.find((s) => s.checks.some((c) => !c.ok));
  if (failedStep && (!errored || judged.indexOf(failedStep) < judged.indexOf(errored))) {
    const check = failedStep.checks.find((c) => !c.ok)!;
    const prefix = failedStep.phase === 'step' ? '' : `${failedStep.phase}: `;
    const reason =
      `${prefix}${failedStep.name}: ${check.description}: ` +
      `expected ${check.expected.join(' | ') || '(see check)'}, got ${firstLine(check.actual)}`;
    if (mode === 'informational' || level === 'MAY') return { grade: 'informational', reason };
    return { grade: level.startsWith('SHOULD') ? 'non-strict' : 'failed', reason };
  }
  if (errored) return { grade: 'errored', reason: errored.error! };
  return { grade: mode === 'informational' ? 'informational' : 'passed' };
}

/**
 * The verdict when preparing the scenario calendar went wrong: `made` is the MKCALENDAR step and,
 * when MKCALENDAR answered 2xx, the PROPFIND that checks a calendar really exists there.
 * Undefined when the calendar is usable.
 */
export function calendarVerdict(made: StepResult[], context: GradeContext = {}): Verdict | undefined {
  const [mkcalendar, verify] = made;
  if (!mkcalendar) return undefined;
  if (failed(mkcalendar)) {
    const lead = 'could not create the scenario calendar';
    return (
      blockedBy(mkcalendar, [], lead, context) ?? {
        grade: 'errored',
        reason: `${lead} ${pathOf(mkcalendar)}: ${mkcalendar.error ?? firstFailure(mkcalendar)}`,
      }
    );
  }
  if (!verify || !failed(verify)) return undefined;
  const status = mkcalendar.exchange?.response?.status ?? '2xx';
  const lead = `MKCALENDAR answered ${status} but ${pathOf(verify)} is not a calendar collection`;
  return (
    blockedBy(verify, [], lead, context, { key: CALENDAR_IS_CALENDAR, method: 'MKCALENDAR' }) ?? {
      grade: 'errored',
      reason: `${lead}: ${verify.error ?? firstFailure(verify)}`,
    }
  );
}

function firstFailure(step: StepResult): string {
  return firstLine(step.checks.find((c) => !c.ok)?.actual ?? 'failed');
}

function failed(step: StepResult): boolean {
  return Boolean(step.error) || step.checks.some((c) => !c.ok);
}

/**
 * Blocked, when the step's request reached the server and the server's answer (or the lack of
 * one) is what failed. Not blocked when the request was never sent (a bad template, the sandbox
 * fence: calspec's problem, errored), when a capture failed on a good answer (errored, as before),
 * when the run was interrupted, or when the broken operation is this scenario's own subject.
 */
function blockedBy(
  step: StepResult,
  earlier: StepResult[],
  lead: string,
  context: GradeContext,
  /** The operation the step stands for, when it is not the step's own request (the PROPFIND check). */
  direct?: { key: string; method: string },
): Verdict | undefined {
  const exchange = step.exchange;
  if (!exchange || context.interrupted) return undefined;
  const check = step.checks.find((c) => !c.ok);
  const transport = !exchange.response || exchange.response.truncated === true || exchange.error !== undefined;
  if (!check && !transport) return undefined;
  const url = exchange.request.url;
  const replaces = earlier.some(
    (s) => s.exchange?.request.method === 'PUT' && s.exchange.request.url === url && !failed(s),
  );
  const key = direct?.key ?? directTest(exchange.request, replaces);
  if (key !== undefined && key === context.key) return undefined;
  const what = check
    ? `${check.description}: expected ${check.expected.join(' | ') || '(see check)'}, got ${firstLine(check.actual)}`
    : firstLine(exchange.error ?? step.error ?? 'no response');
  const method = exchange.request.method;
  const pointer = key
    ? `${key} tests ${direct?.method ?? method} directly`
    : `no scenario tests this ${method} on its own`;
  return { grade: 'blocked', reason: `${lead}: ${method} ${pathOf(step)}: ${what} (${pointer})` };
}

function pathOf(step: StepResult): string {
  const url = step.exchange?.request.url ?? '';
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return url;
  }
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** A scenario's result before anything is judged: what the suite says about it, no steps yet. */
export function unjudgedResult(suite: SuiteSpec, scenario: ScenarioSpec): ScenarioResult {
  return {
    key: scenarioKey(suite, scenario.id),
    id: scenario.id,
    suiteId: suite.id,
    title: scenario.title,
    rfc: suite.rfc,
    section: suite.section,
    level: scenario.level,
    requirement: scenario.requirement,
    covers: scenario.covers,
    requires: [...new Set([...suite.requires, ...scenario.requires])],
    grade: 'passed',
    durationMs: 0,
    steps: [],
    at: `${scenario.pos.file}:${scenario.pos.line}`,
  };
}
