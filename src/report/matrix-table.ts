// The interop matrix: scenarios (rows, grouped by RFC section) × targets (columns).
// Computed once here so the HTML page and the markdown summary agree on every cell.
import type { Grade, MatrixCell, MatrixResults, RunResults } from '../model/result.js';

export function gradeToCell(grade: Grade): MatrixCell {
  switch (grade) {
    case 'passed':
    case 'fixed':
      return 'pass';
    case 'failed':
      return 'fail';
    case 'errored':
      return 'error';
    case 'blocked':
      return 'blocked';
    case 'non-strict':
    case 'skipped':
    case 'expected-fail':
    case 'informational':
      return grade;
  }
}

export interface MatrixColumn {
  /** run.target.name, or the URL when the run has no name. */
  name: string;
  url: string;
  profile?: string;
}

export interface MatrixRow {
  key: string;
  rfc: string;
  section: string;
  title: string;
  level: string;
  /** One cell per column, in column order; `absent` when that run did not include the scenario. */
  cells: MatrixCell[];
}

export interface MatrixTable {
  columns: MatrixColumn[];
  rows: MatrixRow[];
}

/** Numeric-aware so that section 9.10 sorts after 9.9. */
const collator = new Intl.Collator('en', { numeric: true });

function columnNames(runs: RunResults[]): MatrixColumn[] {
  const seen = new Map<string, number>();
  return runs.map((r) => {
    const base = r.target.name ?? r.target.url;
    // Two runs against the same name (e.g. two versions) must still get distinct headers.
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return { name: n === 1 ? base : `${base} #${n}`, url: r.target.url, profile: r.target.profile };
  });
}

export function buildMatrix(m: MatrixResults): MatrixTable {
  const rows = new Map<string, MatrixRow>();
  m.runs.forEach((run, col) => {
    for (const suite of run.suites) {
      for (const s of suite.scenarios) {
        let row = rows.get(s.key);
        if (!row) {
          row = {
            key: s.key,
            rfc: s.rfc,
            section: s.section,
            title: s.title,
            level: s.level,
            cells: m.runs.map((): MatrixCell => 'absent'),
          };
          rows.set(s.key, row);
        }
        row.cells[col] = gradeToCell(s.grade);
      }
    }
  });
  const sorted = [...rows.values()].sort(
    (a, b) =>
      collator.compare(a.rfc, b.rfc) || collator.compare(a.section, b.section) || collator.compare(a.key, b.key),
  );
  return { columns: columnNames(m.runs), rows: sorted };
}

/** True when targets disagree on a row (absent cells ignored): the rows an interop reader wants. */
export function rowDiffers(row: MatrixRow): boolean {
  const present = row.cells.filter((c) => c !== 'absent');
  return present.some((c) => c !== present[0]);
}
