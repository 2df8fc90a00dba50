// From step outcomes to a grade (h2spec/Autobahn style): MUST violations fail, SHOULD violations
// are non-strict, MAY and informational scenarios only record behaviour. The baseline
// (src/profile/baseline-apply.ts) then turns known failures into expected-fail.
import type { Grade, StepResult } from '../model/result.js';
import type { Level, ScenarioMode } from '../model/suite.js';

export function gradeSteps(steps: StepResult[], level: Level, mode: ScenarioMode): { grade: Grade; reason?: string } {
  const judged = steps.filter((s) => s.phase !== 'teardown');
  const assumption = judged.find((s) => s.assumptionFailed);
  if (assumption)
    return {
      grade: 'skipped',
      reason: `does not apply to this target: ${assumption.name}: ${assumption.assumptionFailed}`,
    };
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

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
