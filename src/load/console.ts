// Console report of a load run: one row per label, the overall row, then thresholds and warnings.
import type { LabelStats, LoadResults } from '../model/load.js';

const ms = (us: number) => (us / 1000).toFixed(us < 10_000 ? 2 : 1);

function row(l: LabelStats, seconds: number): string[] {
  const rate = seconds > 0 ? (l.requests / seconds).toFixed(1) : '-';
  const errPct = l.requests ? ((100 * l.errors) / l.requests).toFixed(2) : '0.00';
  const u = l.latencyUs;
  return [
    l.label,
    String(l.requests),
    rate,
    `${l.errors} (${errPct}%)`,
    ms(u.p50),
    ms(u.p90),
    ms(u.p99),
    ms(u.p999),
    ms(u.max),
  ];
}

export function formatTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '))
    .join('\n');
}

export function formatLoadResults(r: LoadResults): string {
  const seconds = r.durationMs / 1000;
  const header = ['label', 'requests', 'req/s', 'errors', 'p50 ms', 'p90 ms', 'p99 ms', 'p99.9 ms', 'max ms'];
  const lines = [
    `calspec load ${r.runId}: ${r.workload} → ${r.target.url}`,
    `${r.model} model, ${r.connections} connections${r.rate ? `, ${r.rate}/s intended` : ''}, ` +
      `${r.workers} worker(s)${r.shard ? `, shard ${r.shard.index}/${r.shard.count}` : ''}, ` +
      `${seconds.toFixed(1)} s measured after ${(r.warmupMs / 1000).toFixed(1)} s warm-up` +
      `${r.interrupted ? ' (interrupted)' : ''}`,
    '',
    formatTable([header, ...r.labels.map((l) => row(l, seconds)), row(r.overall, seconds)]),
    '',
    `status: ${
      Object.entries(r.overall.statusCounts)
        .map(([k, v]) => `${k}×${v}`)
        .join(' ') || '-'
    }`,
  ];
  const classes = Object.entries(r.overall.errorClasses);
  if (classes.length) lines.push(`errors: ${classes.map(([k, v]) => `${k}×${v}`).join(' ')}`);
  for (const t of r.thresholds)
    lines.push(`threshold ${t.ok ? 'ok    ' : 'FAILED'} ${t.expression} (actual ${t.actual})`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return `${lines.join('\n')}\n`;
}
