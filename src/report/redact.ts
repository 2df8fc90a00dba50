// Defensive redaction at render time. The engine already masks credential headers when it
// records an exchange, but results files can be hand-edited or produced by older versions, and a
// report is the artefact most likely to be pasted into a public issue, so reporters mask again.
import type { Exchange, RecordedResponse } from '../model/exchange.js';
import type { MatrixResults, RunResults, ScenarioResult } from '../model/result.js';
import { isSecretHeader, maskSecretValue } from '../model/secrets.js';

export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    out[name] = isSecretHeader(lower) && !value.endsWith('[redacted]') ? maskSecretValue(String(value)) : value;
  }
  return out;
}

function redactResponse(r: RecordedResponse): RecordedResponse {
  return { ...r, headers: redactHeaders(r.headers ?? {}) };
}

export function redactExchange(x: Exchange): Exchange {
  return {
    ...x,
    request: { ...x.request, headers: redactHeaders(x.request.headers ?? {}) },
    response: x.response ? redactResponse(x.response) : undefined,
    redirects: x.redirects?.map(redactResponse),
  };
}

export function redactScenario(s: ScenarioResult): ScenarioResult {
  return { ...s, steps: s.steps.map((st) => (st.exchange ? { ...st, exchange: redactExchange(st.exchange) } : st)) };
}

/** A redacted copy; the input is not modified (reporters share one results object). */
export function redactRun(r: RunResults): RunResults {
  return { ...r, suites: r.suites.map((s) => ({ ...s, scenarios: s.scenarios.map(redactScenario) })) };
}

export function redactMatrix(m: MatrixResults): MatrixResults {
  return { ...m, runs: m.runs.map(redactRun) };
}
