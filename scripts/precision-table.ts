// Writes the table of docs/precision.md from the committed interop matrix and the triaged
// baselines: every failing cell (failed, non-strict, errored, expected-fail) of every server,
// grouped by scenario, with the class and the why of its baseline entry. Run after
// scripts/interop.sh:  npx tsx scripts/precision-table.ts [reports/interop/matrix.json] > table
import { readFileSync } from 'node:fs';
import type { MatrixResults, ScenarioResult } from '../src/model/result.js';
import type { BaselineEntry } from '../src/model/profile.js';
import { loadProfile } from '../src/profile/load.js';

const FAILING = new Set(['failed', 'non-strict', 'errored', 'expected-fail']);

interface Cell {
  server: string;
  grade: string;
  entry: BaselineEntry | undefined;
}

function cells(matrix: MatrixResults): Map<string, { scenario: ScenarioResult; cells: Cell[] }> {
  const rows = new Map<string, { scenario: ScenarioResult; cells: Cell[] }>();
  for (const run of matrix.runs) {
    const server = run.target.name ?? run.target.url;
    const baseline = run.target.profile ? loadProfile(run.target.profile).baseline : [];
    for (const scenario of run.suites.flatMap((s) => s.scenarios)) {
      if (!FAILING.has(scenario.grade)) continue;
      const entry = baseline.find((e) => e.scenario === scenario.key || e.scenario === scenario.id);
      const row = rows.get(scenario.key) ?? { scenario, cells: [] };
      row.cells.push({ server, grade: scenario.grade, entry });
      rows.set(scenario.key, row);
    }
  }
  return rows;
}

const classOf = (c: Cell): string => (c.entry ? (c.entry.class ?? 'untriaged') : 'not in baseline');
const cellText = (c: Cell): string => `${c.server} (${classOf(c)})`;
const escape = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');

export function precisionTable(matrix: MatrixResults): string {
  const rows = [...cells(matrix).entries()].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
  const byClass = new Map<string, number>();
  for (const [, row] of rows) {
    for (const c of row.cells) byClass.set(classOf(c), (byClass.get(classOf(c)) ?? 0) + 1);
  }
  const out = [
    `Failing cells: ${rows.reduce((n, [, r]) => n + r.cells.length, 0)} in ${rows.length} scenarios ` +
      `(${matrix.runs.map((r) => r.target.name).join(', ')}).`,
    '',
    '| class | cells |',
    '|---|---|',
    ...[...byClass].sort().map(([k, n]) => `| ${k} | ${n} |`),
    '',
    '| scenario | level | servers (class) | why |',
    '|---|---|---|---|',
  ];
  for (const [key, row] of rows) {
    const whys = [...new Set(row.cells.map((c) => c.entry?.why).filter(Boolean))];
    out.push(
      `| \`${key}\` | ${row.scenario.level} | ${row.cells.map(cellText).join(', ')} | ` +
        `${escape(whys.join(' / ') || '—')} |`,
    );
  }
  return `${out.join('\n')}\n`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const file = process.argv[2] ?? 'reports/interop/matrix.json';
  process.stdout.write(precisionTable(JSON.parse(readFileSync(file, 'utf8')) as MatrixResults));
}
