// `calspec coverage`: requirements covered / testable / total, per RFC and section and per level.
import { join } from 'node:path';
import { EXIT } from '../model/exit-codes.js';
import { coverage, coverageByLevel, loadCatalogue, unknownCovers } from '../suite/catalogue.js';
import { loadSuites } from '../suite/load.js';
import { FIXTURES_DIR, SUITES_DIR } from '../paths.js';
import { flag, parse, str } from './args.js';

export async function coverageCommand(argv: string[]): Promise<number> {
  const p = parse('coverage', argv, {
    catalogue: { type: 'string' },
    json: { type: 'boolean' },
    uncovered: { type: 'boolean' },
  });
  const suites = loadSuites(p.positionals.length ? p.positionals : [SUITES_DIR], { fixturesDir: FIXTURES_DIR });
  const requirements = loadCatalogue(str(p, 'catalogue') ?? join(SUITES_DIR, 'catalogue'));
  const rows = coverage(requirements, suites);
  const levels = coverageByLevel(requirements, suites);
  const unknown = unknownCovers(requirements, suites);
  if (flag(p, 'json')) {
    process.stdout.write(`${JSON.stringify({ sections: rows, levels, unknownCovers: unknown }, null, 1)}\n`);
    return unknown.length ? EXIT.usage : EXIT.ok;
  }
  const pct = (a: number, b: number) => (b ? `${Math.round((a / b) * 100)}%` : '-');
  const out: string[] = [];
  let rfc = '';
  for (const row of rows) {
    if (row.rfc !== rfc) {
      rfc = row.rfc;
      out.push(`\nRFC ${rfc}`);
      out.push(`  ${'section'.padEnd(10)} ${'covered'.padStart(8)} ${'testable'.padStart(8)} ${'total'.padStart(6)}`);
    }
    out.push(
      `  ${row.section.padEnd(10)} ${String(row.covered).padStart(8)} ${String(row.testable).padStart(8)} ` +
        `${String(row.total).padStart(6)}  ${pct(row.covered, row.testable)}`,
    );
    if (flag(p, 'uncovered')) for (const id of row.uncovered) out.push(`      uncovered: ${id}`);
  }
  out.push('\nBy level (covered / testable / total):');
  for (const l of levels)
    out.push(
      `  RFC ${l.rfc.padEnd(6)} ${l.level.padEnd(10)} ` +
        `${l.covered} / ${l.testable} / ${l.total}  ${pct(l.covered, l.testable)}`,
    );
  const total = rows.reduce(
    (a, r) => ({ covered: a.covered + r.covered, testable: a.testable + r.testable, total: a.total + r.total }),
    { covered: 0, testable: 0, total: 0 },
  );
  const scenarios = suites.reduce((n, s) => n + s.scenarios.length, 0);
  out.push(
    `\n${scenarios} scenarios; ${requirements.length} requirements catalogued; ` +
      `${total.covered} of ${total.testable} testable covered (${pct(total.covered, total.testable)})`,
  );
  const uncoveredTestable = rows.flatMap((r) => r.uncovered);
  if (!flag(p, 'uncovered') && uncoveredTestable.length)
    out.push(`${uncoveredTestable.length} testable requirements uncovered: run with --uncovered to list them`);
  for (const u of unknown) out.push(`warning: ${u}`);
  process.stdout.write(`${out.join('\n')}\n`);
  return unknown.length ? EXIT.usage : EXIT.ok;
}
