// The readable discover table: one line per probe, grade and what was observed.
import type { DiscoverReport, FeatureGrade, ProbeResult } from './types.js';

const MARK: Record<FeatureGrade, string> = {
  full: 'full',
  quirk: 'quirk',
  fragile: 'FRAGILE',
  broken: 'BROKEN',
  unsupported: 'unsupported',
  ungraceful: 'UNGRACEFUL',
};

export function renderProbeLine(p: ProbeResult, width = 120): string {
  const head = `${p.id.padEnd(34)} ${MARK[p.grade].padEnd(11)} `;
  const room = Math.max(30, width - head.length);
  const observed = p.observed.length > room ? `${p.observed.slice(0, room - 1)}…` : p.observed;
  return head + observed;
}

export function renderDiscoverTable(report: DiscoverReport, width = 120, withProbes = true): string {
  const lines: string[] = [];
  const t = report.target;
  lines.push(`calspec discover ${t.url}${t.serverHeader ? `  (Server: ${t.serverHeader})` : ''}`);
  lines.push(`principal ${t.principal ?? '?'}   home ${t.home ?? '?'}   user ${t.user}`);
  lines.push('');
  if (withProbes) {
    lines.push(`${'probe'.padEnd(34)} ${'grade'.padEnd(11)} observed`);
    lines.push(`${'-'.repeat(34)} ${'-'.repeat(11)} ${'-'.repeat(Math.max(8, Math.min(60, width - 47)))}`);
    for (const p of report.probes) lines.push(renderProbeLine(p, width));
    lines.push('');
  }
  const counts = new Map<FeatureGrade, number>();
  for (const p of report.probes) counts.set(p.grade, (counts.get(p.grade) ?? 0) + 1);
  lines.push(`grades: ${[...counts].map(([g, n]) => `${n} ${g}`).join(', ')}`);
  for (const n of report.notes) lines.push(`note: ${n}`);
  const c = report.cleanup;
  lines.push(
    c.leftover.length
      ? `cleanup: could NOT remove ${c.leftover.join(', ')} — remove by hand`
      : `cleanup: removed ${c.removed.length} item(s) calspec created (${c.created.length} created)`,
  );
  if (report.interrupted) lines.push('interrupted');
  return `${lines.join('\n')}\n`;
}
