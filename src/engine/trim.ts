// Results must stay loadable in a browser: very long bodies are cut in the record (the checks
// have already seen them whole).
import type { RunResults } from '../model/result.js';
import type { Redactor } from '../dav/redact.js';

export const MAX_RECORDED_BODY = 64 * 1024;

function cut(text: string | undefined): string | undefined {
  if (text === undefined || text.length <= MAX_RECORDED_BODY) return text;
  return `${text.slice(0, MAX_RECORDED_BODY)}\n[… ${text.length - MAX_RECORDED_BODY} more characters not recorded]`;
}

/** Cut long bodies and scrub secrets from every recorded string. */
export function trimResults(results: RunResults, redactor: Redactor): RunResults {
  const r = (s: string) => redactor.text(s);
  for (const suite of results.suites) {
    for (const scenario of suite.scenarios) {
      if (scenario.reason) scenario.reason = r(scenario.reason);
      for (const step of scenario.steps) {
        if (step.error) step.error = r(step.error);
        for (const check of step.checks) {
          check.actual = r(check.actual);
          check.expected = check.expected.map(r);
          if (check.notes) check.notes = check.notes.map(r);
        }
        const ex = step.exchange;
        if (!ex) continue;
        ex.request.url = r(ex.request.url);
        ex.request.headers = redactor.headers(ex.request.headers);
        if (ex.request.body !== undefined) ex.request.body = r(cut(ex.request.body)!);
        if (ex.error) ex.error = r(ex.error);
        if (ex.response) {
          ex.response.body = r(cut(ex.response.body)!);
          ex.response.headers = redactor.headers(ex.response.headers);
        }
      }
    }
  }
  results.notes = results.notes.map(r);
  return results;
}

/**
 * Drop the recorded exchange of every step whose checks all held, keeping those of failing or
 * erroring steps: a committed interop matrix of five servers stays a few MB instead of tens of MB,
 * and still shows the request and response behind every failure.
 */
export function dropPassingExchanges(results: RunResults): RunResults {
  for (const suite of results.suites) {
    for (const scenario of suite.scenarios) {
      for (const step of scenario.steps) {
        if (!step.error && step.checks.every((c) => c.ok)) delete step.exchange;
      }
    }
  }
  return results;
}
