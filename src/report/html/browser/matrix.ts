// In-page interop matrix: scenarios × targets, cells coloured by outcome; a click opens that
// target's scenario detail in a dialog (deep link: #key@column).
import type { MatrixCell, MatrixResults, ScenarioResult } from '../../../model/result.js';
import type { MatrixTable } from '../../matrix-table.js';
import { renderDetail } from './detail.js';
import { append, badge, fmtDate, GRADES, h, metaList, rfcLabel } from './util.js';

/** Per cell value: the grade class that colours it and the symbol shown in it. */
const CELLS: Record<MatrixCell, [string, string]> = {
  pass: ['passed', '✓'],
  fail: ['failed', '✗'],
  'non-strict': ['non-strict', '!'],
  skipped: ['skipped', '–'],
  'expected-fail': ['expected-fail', '✗'],
  error: ['errored', '⚠'],
  blocked: ['blocked', '⊘'],
  informational: ['informational', 'i'],
  absent: ['absent', ''],
};
interface GroupRow {
  id: string;
  el: HTMLTableRowElement;
  visible: number;
}
interface ScenarioRow {
  el: HTMLTableRowElement;
  group: GroupRow;
  text: string;
  differs: boolean;
}

export function renderMatrix(m: MatrixResults, table: MatrixTable, root: HTMLElement): void {
  const indexes: (Map<string, ScenarioResult> | null)[] = m.runs.map(() => null);
  function scenarioOf(col: number, key: string): ScenarioResult | undefined {
    let index = indexes[col];
    if (!index) {
      index = new Map();
      for (const suite of m.runs[col].suites) for (const s of suite.scenarios) index.set(s.key, s);
      indexes[col] = index;
    }
    return index.get(key);
  }
  const dialog = h('dialog', { id: 'cell-detail' });
  function openCell(key: string, col: number): void {
    const s = scenarioOf(col, key);
    if (!s) return;
    dialog.textContent = '';
    const title = h('span', { class: 'title' }, [
      h('code', null, s.key),
      ' on ',
      h('b', null, table.columns[col].name),
    ]);
    append(dialog, [
      h('header', null, [
        badge(s.grade),
        title,
        h(
          'button',
          {
            class: 'close',
            onclick: () => {
              dialog.close();
            },
          },
          'Close',
        ),
      ]),
      renderDetail(s),
    ]);
    if (!dialog.open) dialog.showModal();
    history.replaceState(null, '', '#' + encodeURIComponent(key) + '@' + col);
  }
  dialog.addEventListener('close', () => {
    history.replaceState(null, '', location.pathname + location.search);
  });

  append(root, [
    h('h1', null, 'calspec interop matrix'),
    metaList([
      ['Generated', fmtDate(m.generatedAt)],
      ['calspec', m.tool.version],
      ['Targets', table.columns.length],
      ['Scenarios', table.rows.length],
    ]),
  ]);
  append(
    root,
    h('table', null, [
      h(
        'thead',
        null,
        h('tr', null, [
          h('th', null, 'target'),
          h('th', null, 'url'),
          ...GRADES.map((g) => h('th', { class: 'num' }, badge(g))),
        ]),
      ),
      h(
        'tbody',
        null,
        m.runs.map((r, i) =>
          h('tr', null, [
            h('td', null, table.columns[i].name),
            h('td', { class: 'mono' }, r.target.url),
            ...GRADES.map((g) => h('td', { class: 'num' }, r.summary[g] || 0)),
          ]),
        ),
      ),
    ]),
  );
  const legend = h('div', { class: 'legend' });
  for (const [k, [cls, symbol]] of Object.entries(CELLS)) {
    append(legend, h('span', null, [h('span', { class: 'sw g-' + cls }), k + (symbol ? ' (' + symbol + ')' : '')]));
  }
  const search = h('input', { type: 'search', placeholder: 'Search scenarios…', 'aria-label': 'search' });
  const onlyDiff = h('input', { type: 'checkbox', id: 'only-diff' });
  const count = h('span', { class: 'count' });
  append(root, [
    h('h2', null, 'Matrix'),
    legend,
    h('div', { class: 'filters' }, [search, h('label', null, [onlyDiff, ' only rows where targets differ']), count]),
  ]);

  const rows: ScenarioRow[] = [],
    groups: GroupRow[] = [];
  const tbody = h('tbody');
  let group: GroupRow | null = null;
  for (const row of table.rows) {
    const gid = row.rfc + '/' + row.section;
    if (!group || group.id !== gid) {
      const label = rfcLabel(row.rfc) + ' §' + row.section;
      const el = h('tr', { class: 'grp' }, h('td', { colspan: table.columns.length + 1 }, label));
      group = { id: gid, el: el, visible: 0 };
      groups.push(group);
      tbody.appendChild(group.el);
    }
    const present = row.cells.filter((c) => c !== 'absent');
    const cells = row.cells.map((c, col) =>
      h(
        'td',
        {
          class: 'cell g-' + CELLS[c][0],
          title: table.columns[col].name + ': ' + c,
          'data-col': col,
          onclick:
            c === 'absent'
              ? null
              : () => {
                  openCell(row.key, col);
                },
        },
        CELLS[c][1],
      ),
    );
    const head = h('td', null, [h('code', null, row.key), h('div', { class: 'muted' }, row.title)]);
    const tr = h('tr', null, [head, ...cells]);
    const differs = present.some((c) => c !== present[0]);
    rows.push({ el: tr, group: group, text: (row.key + ' ' + row.title).toLowerCase(), differs: differs });
    tbody.appendChild(tr);
  }
  function apply(): void {
    const q = search.value.trim().toLowerCase();
    let shown = 0;
    for (const r of rows) {
      const ok = (!onlyDiff.checked || r.differs) && (!q || r.text.indexOf(q) >= 0);
      r.el.hidden = !ok;
      if (ok) {
        shown++;
        r.group.visible++;
      }
    }
    for (const g of groups) {
      g.el.hidden = g.visible === 0;
      g.visible = 0;
    }
    count.textContent = shown + ' of ' + rows.length + ' scenarios';
  }
  search.addEventListener('input', apply);
  onlyDiff.addEventListener('change', apply);
  const heads = table.columns.map((c) => h('th', { class: 'tgt', title: c.url }, c.name));
  append(root, [
    h('table', { class: 'matrix' }, [h('thead', null, h('tr', null, [h('th', null, 'scenario'), ...heads])), tbody]),
    dialog,
  ]);
  apply();
  function openFromHash(): void {
    const m2 = /^(.*)@(\d+)$/.exec(decodeURIComponent(location.hash.slice(1)));
    if (m2) openCell(m2[1], Number(m2[2]));
  }
  window.addEventListener('hashchange', openFromHash);
  openFromHash();
}
