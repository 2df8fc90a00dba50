// Data travels inside the page as JSON in <script type="application/json">. The HTML parser ends
// that element at the first "</script", and "<!--" can switch it into an escaped state, so every
// "<" is written as \u003c; U+2028/2029 are escaped too so the text is also safe as a JS literal.
import type { LoadResults } from '../../model/load.js';
import type { Grade, MatrixResults, RunResults } from '../../model/result.js';
import { buildMatrix, type MatrixTable } from '../matrix-table.js';
import { redactMatrix, redactRun } from '../redact.js';

export interface PagePayload {
  data: RunResults | LoadResults | MatrixResults;
  /** Precomputed for matrix pages so the page and the markdown summary agree on every cell. */
  matrix?: MatrixTable;
  /** How many exchanges of passing scenarios were left out of the page (they stay in results.json). */
  omittedExchanges?: number;
}

export interface HtmlOptions {
  /** Keep the exchanges of passing scenarios in the page too (the page then grows with the run). */
  allExchanges?: boolean;
}

/** Grades whose exchanges nobody needs to read: every check held. Other grades keep theirs. */
const QUIET: ReadonlySet<Grade> = new Set<Grade>(['passed', 'fixed']);

export function embedJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * The exchanges are most of a report's weight and a clean run has one per step: dropping those of
 * passing scenarios keeps the page proportional to what failed. Works on a copy (redactRun copies).
 */
function dropQuietExchanges(run: RunResults): number {
  let dropped = 0;
  for (const suite of run.suites)
    for (const s of suite.scenarios) {
      if (!QUIET.has(s.grade)) continue;
      for (const st of s.steps)
        if (st.exchange) {
          delete st.exchange;
          dropped++;
        }
    }
  return dropped;
}

export function buildPayload(data: RunResults | LoadResults | MatrixResults, opts: HtmlOptions = {}): PagePayload {
  if (data.kind === 'load') return { data };
  if (data.kind === 'matrix') {
    const redacted = redactMatrix(data);
    return { data: redacted, matrix: buildMatrix(redacted) };
  }
  const run = redactRun(data);
  if (opts.allExchanges) return { data: run };
  return { data: run, omittedExchanges: dropQuietExchanges(run) };
}
