// In-page view of a conformance run: verdict and failures (first-screen.ts), summary (run-summary.ts),
// filterable scenario list, deep links.
// Rows are built once; filters only toggle 'hidden' so 1,000+ scenarios filter in milliseconds.
import type { Grade, RunResults, ScenarioResult } from '../../../model/result.js';
import { renderDetail } from './detail.js';
import { failuresSection, omittedNote } from './first-screen.js';
import { coverageTable, gradeChips, runDetails, runHeader, type SectionGroup, sectionBars } from './run-summary.js';
import { append, badge, collator, fmtMs, h, rfcLabel, sortedKeys } from './util.js';

/** What window.calspecFilter takes; every field left out means "no filter on that". */
export interface ScenarioFilter {
  grades?: Grade[];
  rfc?: string;
  section?: string;
  feature?: string;
  q?: string;
}

declare global {
  interface Window {
    /** Applies a filter as the filter bar would; returns how long that took (ms). Used by the tests. */
    calspecFilter?: (f: ScenarioFilter) => number;
    __calspecLastFilterMs?: number;
  }
}

function groupRun(r: RunResults): SectionGroup[] {
  const map = new Map<string, SectionGroup>();
  for (const suite of r.suites)
    for (const s of suite.scenarios) {
      const id = s.rfc + '/' + s.section;
      let group = map.get(id);
      if (!group) {
        group = { id: id, rfc: s.rfc, section: s.section, title: suite.title, scenarios: [] };
        map.set(id, group);
      }
      group.scenarios.push(s);
    }
  return sortedKeys(map).map((k) => map.get(k) as SectionGroup);
}

function scenarioRow(s: ScenarioResult, detailFor: (s: ScenarioResult) => Node): HTMLDetailsElement {
  const d = h(
    'details',
    { class: 'sc g-' + s.grade, id: s.key },
    h('summary', null, [
      badge(s.grade),
      h('span', { class: 'title' }, [
        h('code', { class: 'key' }, s.key),
        ' ',
        s.title,
        s.reason ? h('span', { class: 'reason' }, s.reason) : null,
      ]),
      h('span', { class: 'dur' }, fmtMs(s.durationMs)),
    ]),
  );
  d.addEventListener('toggle', () => {
    if (d.open && !d.dataset.rendered) {
      d.dataset.rendered = '1';
      append(d, detailFor(s));
    }
    if (d.open && location.hash.slice(1) !== encodeURIComponent(s.key)) {
      history.replaceState(null, '', '#' + encodeURIComponent(s.key));
    }
  });
  return d;
}

function selectOf(label: string, values: [string, string][], onchange: (v: string) => void): HTMLSelectElement {
  const sel = h(
    'select',
    {
      'aria-label': label,
      onchange: () => {
        onchange(sel.value);
      },
    },
    [h('option', { value: '' }, 'all ' + label)],
  );
  for (const v of values) append(sel, h('option', { value: v[0] }, v[1]));
  return sel;
}

interface RfcBlock {
  rfc: string;
  el: HTMLElement;
  visible: number;
}
interface SectionBlock {
  el: HTMLDivElement;
  visible: number;
  rfc: RfcBlock;
}
interface Row {
  s: ScenarioResult;
  el: HTMLDetailsElement;
  sec: string;
  group: SectionBlock;
  text: string;
}

export function renderRun(r: RunResults, root: HTMLElement, omitted?: number): void {
  const groups = groupRun(r);
  const state = { grades: new Set<string>(), rfc: '', section: '', feature: '', q: '' };
  const rows: Row[] = [],
    secEls: SectionBlock[] = [],
    rfcEls = new Map<string, RfcBlock>();
  const count = h('span', { class: 'count' });
  /** Shows the rows the state selects; returns (and records for the tests) how long that took. */
  function apply(): number {
    const t0 = performance.now();
    let shown = 0;
    for (const row of rows) {
      const s = row.s;
      const ok =
        (!state.grades.size || state.grades.has(s.grade)) &&
        (!state.rfc || s.rfc === state.rfc) &&
        (!state.section || row.sec === state.section) &&
        (!state.feature || s.requires.indexOf(state.feature) >= 0) &&
        (!state.q || row.text.indexOf(state.q) >= 0);
      if (row.el.hidden === ok) row.el.hidden = !ok;
      if (ok) {
        shown++;
        row.group.visible++;
      }
    }
    for (const g of secEls) {
      g.el.hidden = g.visible === 0;
      g.rfc.visible += g.visible;
      g.visible = 0;
    }
    for (const x of rfcEls.values()) {
      x.el.hidden = x.visible === 0;
      x.visible = 0;
    }
    count.textContent = shown + ' of ' + rows.length + ' scenarios';
    for (const c of chipEls) c.classList.toggle('on', state.grades.has(c.dataset.grade || ''));
    return (window.__calspecLastFilterMs = performance.now() - t0);
  }
  function toggleGrade(g: Grade): void {
    if (state.grades.has(g)) state.grades.delete(g);
    else state.grades.add(g);
    apply();
  }
  // Order follows what a reader needs first: verdict and counts, the failures, then the rest.
  append(root, runHeader(r, toggleGrade));
  append(root, failuresSection(r));
  append(root, omittedNote(omitted));
  append(root, runDetails(r));
  append(root, sectionBars(groups));
  if (r.coverage && r.coverage.length) append(root, coverageTable(r.coverage));

  const features = new Set<string>(),
    rfcs = new Set<string>();
  for (const g of groups) {
    rfcs.add(g.rfc);
    for (const s of g.scenarios) for (const f of s.requires) features.add(f);
  }
  const search = h('input', {
    type: 'search',
    placeholder: 'Search key, title, reason, requirement…',
    'aria-label': 'search',
  });
  let timer = 0;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      state.q = search.value.trim().toLowerCase();
      apply();
    }, 60);
  });
  append(
    root,
    h('div', { class: 'filters' }, [
      gradeChips(r, toggleGrade, 'filter-chips'),
      selectOf(
        'RFCs',
        Array.from(rfcs)
          .sort(collator.compare)
          .map((x): [string, string] => [x, rfcLabel(x)]),
        (v) => {
          state.rfc = v;
          apply();
        },
      ),
      selectOf(
        'sections',
        groups.map((g): [string, string] => [g.id, rfcLabel(g.rfc) + ' §' + g.section]),
        (v) => {
          state.section = v;
          apply();
        },
      ),
      selectOf(
        'features',
        Array.from(features)
          .sort()
          .map((x): [string, string] => [x, x]),
        (v) => {
          state.feature = v;
          apply();
        },
      ),
      search,
      count,
    ]),
  );

  const list = h('div', { id: 'scenarios' });
  let current: RfcBlock | null = null;
  for (const g of groups) {
    if (!current || current.rfc !== g.rfc) {
      current = { rfc: g.rfc, el: h('section', { class: 'rfc' }, h('h2', null, rfcLabel(g.rfc))), visible: 0 };
      rfcEls.set(g.rfc, current);
      list.appendChild(current.el);
    }
    const sec: SectionBlock = {
      el: h('div', { class: 'sec', id: 'sec:' + g.id }, h('h3', null, '§' + g.section + ' ' + g.title)),
      visible: 0,
      rfc: current,
    };
    secEls.push(sec);
    for (const s of g.scenarios) {
      const el = scenarioRow(s, (x) => renderDetail(x, !!omitted));
      const text = (s.key + ' ' + s.title + ' ' + (s.reason || '') + ' ' + s.requirement).toLowerCase();
      rows.push({ s: s, el: el, sec: g.id, group: sec, text: text });
      sec.el.appendChild(el);
    }
    current.el.appendChild(sec.el);
  }
  root.appendChild(list);
  const chipEls = Array.from(root.querySelectorAll<HTMLElement>('.chip[data-grade]'));
  apply();
  function filter(f: ScenarioFilter): number {
    state.grades = new Set(f.grades || []);
    state.rfc = f.rfc || '';
    state.section = f.section || '';
    state.feature = f.feature || '';
    state.q = (f.q || '').toLowerCase();
    return apply();
  }
  window.calspecFilter = filter;

  function openFromHash(): void {
    const key = decodeURIComponent(location.hash.slice(1));
    const row = rows.find((x) => x.s.key === key);
    if (!row) return;
    if (row.el.hidden) filter({});
    row.el.open = true;
    row.el.scrollIntoView({ block: 'start' });
  }
  window.addEventListener('hashchange', openFromHash);
  if (location.hash.length > 1) openFromHash();
}
