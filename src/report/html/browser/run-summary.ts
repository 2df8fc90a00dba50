// The parts of a conformance run's page around the list: header, run details, coverage, per-section bars.
// Split from run.ts (the filterable scenario list) to keep each file readable.
import type {
  CleanupRecord,
  CoverageRow,
  Grade,
  RunResults,
  ScenarioResult,
  TargetInfo,
} from '../../../model/result.js';
import { capabilitiesSection } from './capabilities.js';
import { statusBanner } from './first-screen.js';
import { append, type Child, collator, fmtDate, fmtMs, GRADES, h, metaList, rfcLabel } from './util.js';

/** Title, the regression verdict and the grade counts: the part of the first screen above the failures. */
export function runHeader(r: RunResults, onGrade: (g: Grade) => void): Child[] {
  const t: Partial<TargetInfo> = r.target || {};
  return [
    h('h1', null, 'calspec conformance: ' + (t.name || t.url)),
    statusBanner(r),
    gradeChips(r, onGrade, 'summary-chips'),
  ];
}

/** Where and how the run happened; below the failures, since it rarely explains one. */
export function runDetails(r: RunResults): Child[] {
  const t: Partial<TargetInfo> = r.target || {};
  const exit = String(r.exitCode) + (r.strict ? ' (strict)' : '') + (r.interrupted ? ' (interrupted)' : '');
  const out: Child[] = [h('h2', null, 'Run')];
  for (const n of r.notes || []) out.push(h('div', { class: 'notice' }, n));
  out.push(
    metaList([
      ['Target', t.url],
      ['Profile', t.profile],
      ['Server', t.serverHeader],
      ['DAV', (t.davClasses || []).join(', ')],
      ['User', t.user],
      ['calspec', r.tool.version],
      ['Started', fmtDate(r.startedAt)],
      ['Duration', fmtMs(r.durationMs)],
      ['Connections', r.connection ? r.connection.reason : undefined],
      ['Run', r.runId],
      ['Exit code', exit],
    ]),
  );
  out.push(capabilitiesSection(r));
  const cleanup: Partial<CleanupRecord> = r.cleanup || {};
  if (cleanup.leftover && cleanup.leftover.length) {
    out.push(h('div', { class: 'notice' }, 'Left on the server: ' + cleanup.leftover.join(', ')));
  }
  return out;
}

/** Counts by grade that double as grade filters (shown in the summary and in the sticky filter bar). */
export function gradeChips(r: RunResults, onGrade: (g: Grade) => void, id: string): HTMLDivElement {
  const chips = h('div', { class: 'chips', id: id });
  for (const g of GRADES) {
    const n = r.summary[g] || 0;
    append(
      chips,
      h(
        'button',
        {
          class: 'chip g-' + g + (n ? '' : ' zero'),
          'data-grade': g,
          title: 'show only ' + g + ' (toggle)',
          onclick: () => {
            onGrade(g);
          },
        },
        [g + ' ', h('b', null, n)],
      ),
    );
  }
  return chips;
}

/** Section rows preceded by one total row per RFC (section ''), the per-RFC view readers ask for first. */
function coverageRows(rows: CoverageRow[]): CoverageRow[] {
  const out: CoverageRow[] = [];
  const rfcs = Array.from(new Set(rows.map((c) => c.rfc))).sort(collator.compare);
  for (const rfc of rfcs) {
    const mine = rows.filter((c) => c.rfc === rfc);
    const sum = (k: 'total' | 'testable' | 'covered'): number => mine.reduce((a, c) => a + c[k], 0);
    if (mine.length > 1) {
      out.push({
        rfc: rfc,
        section: '',
        total: sum('total'),
        testable: sum('testable'),
        covered: sum('covered'),
        uncovered: [],
      });
    }
    for (const c of mine.sort((a, b) => collator.compare(a.section, b.section))) out.push(c);
  }
  return out;
}

/** Collapsed: a long table that says what calspec tests, not what the server got wrong. */
export function coverageTable(rows: CoverageRow[]): HTMLDetailsElement {
  const sections = rows.length,
    covered = rows.reduce((a, c) => a + c.covered, 0),
    testable = rows.reduce((a, c) => a + c.testable, 0);
  const head = 'Coverage: ' + covered + ' of ' + testable + ' testable requirements in ' + sections + ' sections';
  return h('details', { class: 'coverage', id: 'coverage' }, [
    h('summary', null, head),
    h('table', null, [
      h(
        'thead',
        null,
        h('tr', null, [
          h('th', null, 'RFC'),
          h('th', null, 'Section'),
          h('th', { class: 'num' }, 'covered / testable'),
          h('th', { class: 'num' }, 'total'),
          h('th', null, 'uncovered'),
        ]),
      ),
      h(
        'tbody',
        null,
        coverageRows(rows).map((c) => {
          const pct = c.testable ? Math.round((100 * c.covered) / c.testable) : 100;
          return h('tr', { style: c.section ? null : 'font-weight:600' }, [
            h('td', null, rfcLabel(c.rfc)),
            h('td', null, c.section ? '§' + c.section : 'all sections'),
            h('td', { class: 'num' }, c.covered + ' / ' + c.testable + ' (' + pct + '%)'),
            h('td', { class: 'num' }, c.total),
            h('td', { class: 'mono' }, c.uncovered.join(', ')),
          ]);
        }),
      ),
    ]),
  ]);
}

/** The scenarios of one RFC section: a heading in the list, a bar, an entry of the sections filter. */
export interface SectionGroup {
  id: string;
  rfc: string;
  section: string;
  title: string;
  scenarios: ScenarioResult[];
}

/** One stacked bar per RFC section, segments in grade order, linking to the section's heading. */
export function sectionBars(groups: SectionGroup[]): Child[] {
  const grid = h('div', { class: 'bars' });
  for (const g of groups) {
    const counts: Partial<Record<Grade, number>> = {};
    for (const s of g.scenarios) counts[s.grade] = (counts[s.grade] || 0) + 1;
    const title = GRADES.filter((x) => counts[x])
      .map((x) => x + ': ' + counts[x])
      .join(', ');
    const bar = h('div', { class: 'bar', title: title });
    for (const gr of GRADES) if (counts[gr]) append(bar, h('span', { class: 'g-' + gr, style: 'flex:' + counts[gr] }));
    append(grid, [
      h('a', { href: '#sec:' + g.id }, rfcLabel(g.rfc) + ' §' + g.section),
      bar,
      h('span', { class: 'muted' }, g.scenarios.length),
    ]);
  }
  return [h('h2', null, 'By section'), grid];
}
