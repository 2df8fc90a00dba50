// Data travels inside the page as JSON in <script type="application/json">. The HTML parser ends
// that element at the first "</script", and "<!--" can switch it into an escaped state, so every
// "<" is written as \u003c; U+2028/2029 are escaped too so the text is also safe as a JS literal.
import type { LoadResults } from '../../model/load.js';
import type { MatrixResults, RunResults } from '../../model/result.js';
import { buildMatrix, type MatrixTable } from '../matrix-table.js';
import { redactMatrix, redactRun } from '../redact.js';

export interface PagePayload {
  data: RunResults | LoadResults | MatrixResults;
  /** Precomputed for matrix pages so the page and the markdown summary agree on every cell. */
  matrix?: MatrixTable;
}

export function embedJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function buildPayload(data: RunResults | LoadResults | MatrixResults): PagePayload {
  if (data.kind === 'load') return { data };
  if (data.kind === 'matrix') {
    const redacted = redactMatrix(data);
    return { data: redacted, matrix: buildMatrix(redacted) };
  }
  return { data: redactRun(data) };
}
