// A compact markdown summary sized for a GitHub job summary ($GITHUB_STEP_SUMMARY): counts,
// what needs attention first (new failures), then the softer lists, each capped.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LabelStats, LoadResults } from '../model/load.js';
import {
  GRADES,
  type Grade,
  type MatrixCell,
  type MatrixResults,
  type RunResults,
  type ScenarioResult,
} from '../model/result.js';
import { capabilityMarkdown } from './capabilities.js';
import { buildMatrix, rowDiffers } from './matrix-table.js';
import type { Reporter } from './types.js';

const LIST_CAP = 25;
const NON_STRICT_CAP = 10;

const GRADE_ICON: Record<Grade, string> = {
  passed: '✅',
  failed: '❌',
  'non-strict': '⚠️',
  informational: 'ℹ️',
  skipped: '⏭️',
  errored: '💥',
  blocked: '🚧',
  'expected-fail': '🔕',
  fixed: '🎉',
};

const CELL_ICON: Record<MatrixCell, string> = {
  pass: '✅',
  fail: '❌',
  'non-strict': '⚠️',
  informational: 'ℹ️',
  skipped: '⏭️',
  error: '💥',
  blocked: '🚧',
  'expected-fail': '🔕',
  absent: '·',
};

/** Escape markdown and inline HTML so server-controlled text (reasons quote responses) stays text. */
export function mdEscape(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/[\\`*_{}[\]<>|#~]/g, (c) => `\\${c}`);
}

/** Inline code that survives backticks inside the value. */
function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${fence.length > 1 ? ' ' : ''}${text}${fence.length > 1 ? ' ' : ''}${fence}`;
}

function capped<T>(items: T[], cap: number, line: (t: T) => string): string[] {
  const out = items.slice(0, cap).map(line);
  if (items.length > cap) out.push(`- … and ${items.length - cap} more (see the HTML report)`);
  return out;
}

function duration(ms: number): string {
  return ms >= 60_000
    ? `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`
    : `${(ms / 1000).toFixed(1)}s`;
}

function scenarioLine(s: ScenarioResult): string {
  return `- ${GRADE_ICON[s.grade]} ${code(s.key)} ${mdEscape(s.title)}${s.reason ? ` — ${mdEscape(s.reason)}` : ''}`;
}

function renderRun(r: RunResults): string {
  const all = r.suites.flatMap((s) => s.scenarios);
  const by = (g: Grade[]): ScenarioResult[] => all.filter((s) => g.includes(s.grade));
  const present = GRADES.filter((g) => r.summary[g] > 0);
  const out = [
    `## calspec conformance: ${mdEscape(r.target.name ?? r.target.url)}`,
    '',
    `${code(r.target.url)} · profile ${code(r.target.profile ?? 'none')} · ` +
      `calspec ${r.tool.version} · ${r.startedAt} · ${duration(r.durationMs)} · ` +
      `exit ${r.exitCode}${r.strict ? ' · strict' : ''}${r.interrupted ? ' · **interrupted**' : ''}`,
    ...(r.connection ? ['', `Connections: ${mdEscape(r.connection.reason)}`] : []),
    '',
    `| ${present.map((g) => `${GRADE_ICON[g]} ${g}`).join(' | ')} |`,
    `|${present.map(() => '---:').join('|')}|`,
    `| ${present.map((g) => r.summary[g]).join(' | ')} |`,
  ];
  const failures = by(['failed', 'errored']);
  if (failures.length)
    out.push('', `### New failures (${failures.length})`, '', ...capped(failures, LIST_CAP, scenarioLine));
  if (r.strict) {
    const ns = by(['non-strict']);
    if (ns.length)
      out.push('', `### Non-strict, failing under --strict (${ns.length})`, '', ...capped(ns, LIST_CAP, scenarioLine));
  }
  const fixed = by(['fixed']);
  if (fixed.length) {
    out.push(
      '',
      `### Fixed: remove from the baseline (${fixed.length})`,
      '',
      ...capped(fixed, LIST_CAP, (s) => {
        const entry = `- ${GRADE_ICON.fixed} ${code(s.key)}`;
        return s.baselineReason ? `${entry} — was: ${mdEscape(s.baselineReason)}` : entry;
      }),
    );
  }
  const blocked = by(['blocked']);
  if (blocked.length)
    out.push(
      '',
      `<details><summary>Blocked: setup failed, requirement not tested (${blocked.length})</summary>`,
      '',
      ...capped(blocked, LIST_CAP, scenarioLine),
      '',
      '</details>',
    );
  if (!r.strict) {
    const ns = by(['non-strict']);
    if (ns.length)
      out.push(
        '',
        `<details><summary>Non-strict (SHOULD not met): ${ns.length}</summary>`,
        '',
        ...capped(ns, NON_STRICT_CAP, scenarioLine),
        '',
        '</details>',
      );
  }
  if (r.cleanup.leftover.length)
    out.push(
      '',
      `### Left on the server (${r.cleanup.leftover.length})`,
      '',
      ...capped(r.cleanup.leftover, LIST_CAP, (p) => `- ${code(p)}`),
    );
  const capabilities = capabilityMarkdown(r.capabilities, mdEscape);
  if (capabilities.length) out.push('', ...capabilities);
  if (r.notes.length) out.push('', '### Notes', '', ...capped(r.notes, LIST_CAP, (n) => `- ${mdEscape(n)}`));
  return out.join('\n') + '\n';
}

const ms = (us: number): string => (us / 1000).toFixed(us < 10_000 ? 2 : 1);

function labelRow(l: LabelStats, name = mdEscape(l.label)): string {
  const rate = l.requests ? ((100 * l.errors) / l.requests).toFixed(2) : '0.00';
  const q = l.latencyUs;
  return (
    `| ${name} | ${l.requests} | ${l.errors} (${rate}%) ` +
    `| ${ms(q.p50)} | ${ms(q.p90)} | ${ms(q.p99)} | ${ms(q.p999)} | ${ms(q.max)} |`
  );
}

function renderLoad(r: LoadResults): string {
  const secs = r.durationMs / 1000;
  const rps = secs > 0 ? (r.overall.requests / secs).toFixed(1) : '—';
  const out = [
    `## calspec load: ${mdEscape(r.target.name ?? r.target.url)}`,
    '',
    `${code(r.workload)} · ${r.model} model · ` +
      `${r.connections} connections${r.rate ? ` · ${r.rate} req/s target` : ''} · ` +
      `${r.workers} workers · ${duration(r.durationMs)} (+${duration(r.warmupMs)} warm-up) · ` +
      `${rps} req/s · exit ${r.exitCode}${r.interrupted ? ' · **interrupted**' : ''}`,
  ];
  if (r.thresholds.length) {
    out.push(
      '',
      '### Thresholds',
      '',
      ...r.thresholds.map((t) => `- ${t.ok ? '✅' : '❌'} ${code(t.expression)} — ${mdEscape(t.actual)}`),
    );
  }
  out.push(
    '',
    '| label | requests | errors | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  );
  out.push(...r.labels.map((l) => labelRow(l)), labelRow(r.overall, '**overall**'));
  const slow = [...r.labels].sort((a, b) => b.latencyUs.p99 - a.latencyUs.p99).slice(0, 5);
  if (slow.length > 1)
    out.push(
      '',
      '### Slowest labels (p99)',
      '',
      ...slow.map((l, i) => `${i + 1}. ${mdEscape(l.label)} — ${ms(l.latencyUs.p99)} ms`),
    );
  if (r.warnings.length) out.push('', ...r.warnings.map((w) => `> ⚠️ ${mdEscape(w)}`));
  return out.join('\n') + '\n';
}

function renderMatrix(m: MatrixResults): string {
  const t = buildMatrix(m);
  const differing = t.rows.filter(rowDiffers);
  const out = [
    `## calspec interop matrix (${t.columns.length} targets, ${t.rows.length} scenarios)`,
    '',
    `| target | ${GRADES.map((g) => `${GRADE_ICON[g]} ${g}`).join(' | ')} |`,
    `|---|${GRADES.map(() => '---:').join('|')}|`,
    ...m.runs.map(
      (r, i) => `| ${mdEscape(t.columns[i]!.name)} | ${GRADES.map((g) => r.summary[g] ?? 0).join(' | ')} |`,
    ),
    '',
    `### Scenarios where targets differ (${differing.length})`,
    '',
  ];
  if (differing.length) {
    out.push(
      `| scenario | ${t.columns.map((c) => mdEscape(c.name)).join(' | ')} |`,
      `|---|${t.columns.map(() => ':---:').join('|')}|`,
    );
    out.push(
      ...differing
        .slice(0, 50)
        .map((row) => `| ${code(row.key)} | ${row.cells.map((c) => CELL_ICON[c]).join(' | ')} |`),
    );
    if (differing.length > 50) out.push('', `… and ${differing.length - 50} more (see the HTML report)`);
  }
  return out.join('\n') + '\n';
}

export function renderMarkdown(results: RunResults | LoadResults | MatrixResults): string {
  if (results.kind === 'load') return renderLoad(results);
  if (results.kind === 'matrix') return renderMatrix(results);
  return renderRun(results);
}

export async function writeMarkdown(
  results: RunResults | LoadResults | MatrixResults,
  outDir: string,
): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const path = join(outDir, 'summary.md');
  await writeFile(path, renderMarkdown(results), 'utf8');
  return path;
}

export const markdownReporter: Reporter = {
  name: 'markdown',
  async onRunEnd(results, outDir) {
    return [await writeMarkdown(results, outDir)];
  },
  async onLoadEnd(results, outDir) {
    return [await writeMarkdown(results, outDir)];
  },
  async onMatrixEnd(results, outDir) {
    return [await writeMarkdown(results, outDir)];
  },
};
