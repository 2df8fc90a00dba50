// In-page interop matrix: scenarios × targets, cells coloured by outcome; a click opens that
// target's scenario detail in a dialog (deep link: #key@column).
export const JS_MATRIX = String.raw`
const CELLS = {
  pass: ['passed', '✓'], fail: ['failed', '✗'], 'non-strict': ['non-strict', '!'], skipped: ['skipped', '–'],
  'expected-fail': ['expected-fail', '✗'], error: ['errored', '⚠'], informational: ['informational', 'i'], absent: ['absent', ''],
};
function renderMatrix(m, table, root) {
  const indexes = m.runs.map(function () { return null; });
  function scenarioOf(col, key) {
    if (!indexes[col]) {
      indexes[col] = new Map();
      for (const suite of m.runs[col].suites) for (const s of suite.scenarios) indexes[col].set(s.key, s);
    }
    return indexes[col].get(key);
  }
  const dialog = h('dialog', { id: 'cell-detail' });
  function openCell(key, col) {
    const s = scenarioOf(col, key);
    if (!s) return;
    dialog.textContent = '';
    append(dialog, [h('header', null, [badge(s.grade), h('span', { class: 'title' }, [h('code', null, s.key), ' on ', h('b', null, table.columns[col].name)]),
      h('button', { class: 'close', onclick: function () { dialog.close(); } }, 'Close')]), renderDetail(s)]);
    if (!dialog.open) dialog.showModal();
    history.replaceState(null, '', '#' + encodeURIComponent(key) + '@' + col);
  }
  dialog.addEventListener('close', function () { history.replaceState(null, '', location.pathname + location.search); });

  append(root, [h('h1', null, 'calspec interop matrix'), metaList([
    ['Generated', fmtDate(m.generatedAt)], ['calspec', m.tool.version], ['Targets', table.columns.length], ['Scenarios', table.rows.length],
  ])]);
  append(root, h('table', null, [
    h('thead', null, h('tr', null, [h('th', null, 'target'), h('th', null, 'url')].concat(GRADES.map(function (g) { return h('th', { class: 'num' }, badge(g)); })))),
    h('tbody', null, m.runs.map(function (r, i) {
      return h('tr', null, [h('td', null, table.columns[i].name), h('td', { class: 'mono' }, r.target.url)].concat(GRADES.map(function (g) { return h('td', { class: 'num' }, r.summary[g] || 0); })));
    })),
  ]));
  const legend = h('div', { class: 'legend' });
  for (const k in CELLS) append(legend, h('span', null, [h('span', { class: 'sw g-' + CELLS[k][0] }), k + (CELLS[k][1] ? ' (' + CELLS[k][1] + ')' : '')]));
  const search = h('input', { type: 'search', placeholder: 'Search scenarios…', 'aria-label': 'search' });
  const onlyDiff = h('input', { type: 'checkbox', id: 'only-diff' });
  const count = h('span', { class: 'count' });
  append(root, [h('h2', null, 'Matrix'), legend, h('div', { class: 'filters' }, [search, h('label', null, [onlyDiff, ' only rows where targets differ']), count])]);

  const rows = [], groups = [];
  const tbody = h('tbody');
  let group = null;
  for (const row of table.rows) {
    const gid = row.rfc + '/' + row.section;
    if (!group || group.id !== gid) {
      group = { id: gid, el: h('tr', { class: 'grp' }, h('td', { colspan: table.columns.length + 1 }, rfcLabel(row.rfc) + ' §' + row.section)), visible: 0 };
      groups.push(group);
      tbody.appendChild(group.el);
    }
    const present = row.cells.filter(function (c) { return c !== 'absent'; });
    const tr = h('tr', null, [h('td', null, [h('code', null, row.key), h('div', { class: 'muted' }, row.title)])].concat(row.cells.map(function (c, col) {
      return h('td', { class: 'cell g-' + CELLS[c][0], title: table.columns[col].name + ': ' + c, 'data-col': col, onclick: c === 'absent' ? null : function () { openCell(row.key, col); } }, CELLS[c][1]);
    })));
    rows.push({ el: tr, group: group, text: (row.key + ' ' + row.title).toLowerCase(), differs: present.some(function (c) { return c !== present[0]; }) });
    tbody.appendChild(tr);
  }
  function apply() {
    const q = search.value.trim().toLowerCase();
    let shown = 0;
    for (const r of rows) {
      const ok = (!onlyDiff.checked || r.differs) && (!q || r.text.indexOf(q) >= 0);
      r.el.hidden = !ok;
      if (ok) { shown++; r.group.visible++; }
    }
    for (const g of groups) { g.el.hidden = g.visible === 0; g.visible = 0; }
    count.textContent = shown + ' of ' + rows.length + ' scenarios';
  }
  search.addEventListener('input', apply);
  onlyDiff.addEventListener('change', apply);
  append(root, [h('table', { class: 'matrix' }, [h('thead', null, h('tr', null, [h('th', null, 'scenario')].concat(table.columns.map(function (c) {
    return h('th', { class: 'tgt', title: c.url }, c.name);
  })))), tbody]), dialog]);
  apply();
  function openFromHash() {
    const m2 = /^(.*)@(\d+)$/.exec(decodeURIComponent(location.hash.slice(1)));
    if (m2) openCell(m2[1], Number(m2[2]));
  }
  window.addEventListener('hashchange', openFromHash);
  openFromHash();
}
`;
