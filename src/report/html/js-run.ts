// In-page view of a conformance run: summary, per-section bars, filterable scenario list, deep links.
// Rows are built once; filters only toggle 'hidden' so 1,000+ scenarios filter in milliseconds.
export const JS_RUN = String.raw`
function runSummary(r, onGrade) {
  const t = r.target || {};
  const out = [h('h1', null, 'calspec conformance: ' + (t.name || t.url)), metaList([
    ['Target', t.url], ['Profile', t.profile], ['Server', t.serverHeader], ['DAV', (t.davClasses || []).join(', ')],
    ['User', t.user], ['calspec', r.tool.version], ['Started', fmtDate(r.startedAt)], ['Duration', fmtMs(r.durationMs)],
    ['Run', r.runId], ['Exit code', String(r.exitCode) + (r.strict ? ' (strict)' : '') + (r.interrupted ? ' (interrupted)' : '')],
  ])];
  out.push(gradeChips(r, onGrade, 'summary-chips'));
  for (const n of r.notes || []) out.push(h('div', { class: 'notice' }, n));
  if ((r.cleanup || {}).leftover && r.cleanup.leftover.length) out.push(h('div', { class: 'notice' }, 'Left on the server: ' + r.cleanup.leftover.join(', ')));
  return out;
}

/** Counts by grade that double as grade filters (shown in the summary and in the sticky filter bar). */
function gradeChips(r, onGrade, id) {
  const chips = h('div', { class: 'chips', id: id });
  for (const g of GRADES) {
    const n = r.summary[g] || 0;
    append(chips, h('button', { class: 'chip g-' + g + (n ? '' : ' zero'), 'data-grade': g, title: 'show only ' + g + ' (toggle)', onclick: function () { onGrade(g); } }, [g + ' ', h('b', null, n)]));
  }
  return chips;
}

/** Section rows preceded by one total row per RFC (section ''), the per-RFC view readers ask for first. */
function coverageRows(rows) {
  const out = [];
  const rfcs = Array.from(new Set(rows.map(function (c) { return c.rfc; }))).sort(collator.compare);
  for (const rfc of rfcs) {
    const mine = rows.filter(function (c) { return c.rfc === rfc; });
    const sum = function (k) { return mine.reduce(function (a, c) { return a + c[k]; }, 0); };
    if (mine.length > 1) out.push({ rfc: rfc, section: '', total: sum('total'), testable: sum('testable'), covered: sum('covered'), uncovered: [] });
    for (const c of mine.sort(function (a, b) { return collator.compare(a.section, b.section); })) out.push(c);
  }
  return out;
}

function coverageTable(rows) {
  return [h('h2', null, 'Coverage'), h('table', null, [
    h('thead', null, h('tr', null, [h('th', null, 'RFC'), h('th', null, 'Section'), h('th', { class: 'num' }, 'covered / testable'), h('th', { class: 'num' }, 'total'), h('th', null, 'uncovered')])),
    h('tbody', null, coverageRows(rows).map(function (c) {
      const pct = c.testable ? Math.round(100 * c.covered / c.testable) : 100;
      return h('tr', { style: c.section ? null : 'font-weight:600' }, [h('td', null, rfcLabel(c.rfc)), h('td', null, c.section ? '§' + c.section : 'all sections'),
        h('td', { class: 'num' }, c.covered + ' / ' + c.testable + ' (' + pct + '%)'), h('td', { class: 'num' }, c.total),
        h('td', { class: 'mono' }, c.uncovered.join(', '))]);
    })),
  ])];
}

/** One stacked bar per RFC section, segments in grade order, linking to the section's heading. */
function sectionBars(groups) {
  const grid = h('div', { class: 'bars' });
  for (const g of groups) {
    const counts = {};
    for (const s of g.scenarios) counts[s.grade] = (counts[s.grade] || 0) + 1;
    const bar = h('div', { class: 'bar', title: GRADES.filter(function (x) { return counts[x]; }).map(function (x) { return x + ': ' + counts[x]; }).join(', ') });
    for (const gr of GRADES) if (counts[gr]) append(bar, h('span', { class: 'g-' + gr, style: 'flex:' + counts[gr] }));
    append(grid, [h('a', { href: '#sec:' + g.id }, rfcLabel(g.rfc) + ' §' + g.section), bar, h('span', { class: 'muted' }, g.scenarios.length)]);
  }
  return [h('h2', null, 'By section'), grid];
}

function groupRun(r) {
  const map = new Map();
  for (const suite of r.suites) for (const s of suite.scenarios) {
    const id = s.rfc + '/' + s.section;
    if (!map.has(id)) map.set(id, { id: id, rfc: s.rfc, section: s.section, title: suite.title, scenarios: [] });
    map.get(id).scenarios.push(s);
  }
  return sortedKeys(map).map(function (k) { return map.get(k); });
}

function scenarioRow(s, detailFor) {
  const d = h('details', { class: 'sc g-' + s.grade, id: s.key }, h('summary', null, [
    badge(s.grade),
    h('span', { class: 'title' }, [h('code', { class: 'key' }, s.key), ' ', s.title, s.reason ? h('span', { class: 'reason' }, s.reason) : null]),
    h('span', { class: 'dur' }, fmtMs(s.durationMs)),
  ]));
  d.addEventListener('toggle', function () {
    if (d.open && !d.dataset.rendered) { d.dataset.rendered = '1'; append(d, detailFor(s)); }
    if (d.open && location.hash.slice(1) !== encodeURIComponent(s.key)) history.replaceState(null, '', '#' + encodeURIComponent(s.key));
  });
  return d;
}

function selectOf(label, values, onchange) {
  const sel = h('select', { 'aria-label': label, onchange: function () { onchange(sel.value); } }, [h('option', { value: '' }, 'all ' + label)]);
  for (const v of values) append(sel, h('option', { value: v[0] }, v[1]));
  return sel;
}

function renderRun(r, root) {
  const groups = groupRun(r);
  const state = { grades: new Set(), rfc: '', section: '', feature: '', q: '' };
  const rows = [], secEls = [], rfcEls = new Map();
  const count = h('span', { class: 'count' });
  function apply() {
    const t0 = performance.now();
    let shown = 0;
    for (const row of rows) {
      const s = row.s;
      const ok = (!state.grades.size || state.grades.has(s.grade)) && (!state.rfc || s.rfc === state.rfc) &&
        (!state.section || row.sec === state.section) && (!state.feature || s.requires.indexOf(state.feature) >= 0) &&
        (!state.q || row.text.indexOf(state.q) >= 0);
      if (row.el.hidden === ok) row.el.hidden = !ok;
      if (ok) { shown++; row.group.visible++; }
    }
    for (const g of secEls) { g.el.hidden = g.visible === 0; g.rfc.visible += g.visible; g.visible = 0; }
    for (const x of rfcEls.values()) { x.el.hidden = x.visible === 0; x.visible = 0; }
    count.textContent = shown + ' of ' + rows.length + ' scenarios';
    for (const c of chipEls) c.classList.toggle('on', state.grades.has(c.dataset.grade));
    window.__calspecLastFilterMs = performance.now() - t0;
  }
  function toggleGrade(g) { if (state.grades.has(g)) state.grades.delete(g); else state.grades.add(g); apply(); }
  append(root, runSummary(r, toggleGrade));
  if (r.coverage && r.coverage.length) append(root, coverageTable(r.coverage));
  append(root, sectionBars(groups));

  const features = new Set(), rfcs = new Set();
  for (const g of groups) { rfcs.add(g.rfc); for (const s of g.scenarios) for (const f of s.requires) features.add(f); }
  const search = h('input', { type: 'search', placeholder: 'Search key, title, reason, requirement…', 'aria-label': 'search' });
  let timer = 0;
  search.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(function () { state.q = search.value.trim().toLowerCase(); apply(); }, 60); });
  append(root, h('div', { class: 'filters' }, [
    gradeChips(r, toggleGrade, 'filter-chips'),
    selectOf('RFCs', Array.from(rfcs).sort(collator.compare).map(function (x) { return [x, rfcLabel(x)]; }), function (v) { state.rfc = v; apply(); }),
    selectOf('sections', groups.map(function (g) { return [g.id, rfcLabel(g.rfc) + ' §' + g.section]; }), function (v) { state.section = v; apply(); }),
    selectOf('features', Array.from(features).sort().map(function (x) { return [x, x]; }), function (v) { state.feature = v; apply(); }),
    search, count,
  ]));

  const list = h('div', { id: 'scenarios' });
  let current = null;
  for (const g of groups) {
    if (!current || current.rfc !== g.rfc) {
      current = { rfc: g.rfc, el: h('section', { class: 'rfc' }, h('h2', null, rfcLabel(g.rfc))), visible: 0 };
      rfcEls.set(g.rfc, current);
      list.appendChild(current.el);
    }
    const sec = { el: h('div', { class: 'sec', id: 'sec:' + g.id }, h('h3', null, '§' + g.section + ' ' + g.title)), visible: 0, rfc: current };
    secEls.push(sec);
    for (const s of g.scenarios) {
      const el = scenarioRow(s, renderDetail);
      rows.push({ s: s, el: el, sec: g.id, group: sec, text: (s.key + ' ' + s.title + ' ' + (s.reason || '') + ' ' + s.requirement).toLowerCase() });
      sec.el.appendChild(el);
    }
    current.el.appendChild(sec.el);
  }
  root.appendChild(list);
  const chipEls = Array.from(root.querySelectorAll('.chip[data-grade]'));
  apply();
  window.calspecFilter = function (f) { state.grades = new Set(f.grades || []); state.rfc = f.rfc || ''; state.section = f.section || ''; state.feature = f.feature || ''; state.q = (f.q || '').toLowerCase(); apply(); return window.__calspecLastFilterMs; };

  function openFromHash() {
    const key = decodeURIComponent(location.hash.slice(1));
    const row = rows.find(function (x) { return x.s.key === key; });
    if (!row) return;
    if (row.el.hidden) window.calspecFilter({});
    row.el.open = true;
    row.el.scrollIntoView({ block: 'start' });
  }
  window.addEventListener('hashchange', openFromHash);
  if (location.hash.length > 1) openFromHash();
}
`;
