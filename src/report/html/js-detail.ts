// In-page rendering of one scenario's detail: requirement, steps, checks (with diffs), exchanges.
// Built lazily when a scenario is opened so the initial page stays fast with thousands of rows.
export const JS_DETAIL = String.raw`
function exchangeBlock(x, open) {
  const req = x.request, res = x.response;
  const reqHead = req.method + ' ' + req.url + (Object.keys(req.headers || {}).length ? '\n' + headerText(req.headers) : '');
  const left = h('div', null, [h('h4', null, 'Request'), h('pre', { class: 'req-head' }, reqHead),
    req.body ? bodyBlock('request body', req.body, (req.headers || {})['content-type'], open) : null]);
  const right = h('div', null, h('h4', null, 'Response'));
  for (const hop of x.redirects || []) {
    append(right, h('pre', { class: 'muted' }, hop.status + ' ' + (hop.statusText || '') + ' → ' + (hop.redirectedTo || '?')));
  }
  if (res) {
    const head = res.status + (res.statusText ? ' ' + res.statusText : '') + (Object.keys(res.headers || {}).length ? '\n' + headerText(res.headers) : '');
    append(right, [h('pre', { class: 'res-head' }, head), bodyBlock('response body', res.body, (res.headers || {})['content-type'], open)]);
    if (res.truncated) append(right, h('div', { class: 'muted' }, 'body truncated at the capture limit'));
  }
  if (x.error) append(right, h('div', { class: 'error' }, 'transport error: ' + x.error));
  const t = x.timings || {};
  const timing = 'sent ' + (t.startedAt ? new Date(t.startedAt).toISOString().slice(11, 23) : '?') +
    (t.headersMs != null ? ' · headers ' + fmtMs(t.headersMs) : '') + ' · total ' + fmtMs(t.totalMs);
  return [h('div', { class: 'xchg' }, [left, right]), h('div', { class: 'muted' }, timing)];
}

function checksTable(checks) {
  if (!checks.length) return null;
  const rows = [];
  for (const c of checks) {
    const exp = c.expected || [];
    rows.push(h('tr', null, [
      h('td', { class: c.ok ? 'ok' : 'ko', title: c.ok ? 'held' : 'violated' }, c.ok ? '✓' : '✗'),
      h('td', null, [c.description, c.at ? h('div', { class: 'muted mono' }, c.at) : null]),
      h('td', null, exp.length ? h('pre', null, exp.join('\n')) : h('span', { class: 'muted' }, '—')),
      h('td', null, h('pre', null, c.actual)),
    ]));
    // A single multi-line expectation against multi-line output is a text comparison
    // (iCalendar or XML): a line diff shows the difference far better than two blocks.
    if (!c.ok && exp.length === 1 && exp[0].indexOf('\n') >= 0 && c.actual.indexOf('\n') >= 0) {
      const diff = diffBlock(exp[0], c.actual);
      if (diff) rows.push(h('tr', null, [h('td'), h('td', { colspan: 3 }, [h('div', { class: 'muted' }, 'diff (− expected, + actual)'), diff])]));
    }
  }
  return h('table', { class: 'checks' }, [
    h('thead', null, h('tr', null, [h('th'), h('th', null, 'check'), h('th', null, 'expected'), h('th', null, 'actual')])),
    h('tbody', null, rows),
  ]);
}

function stepBlock(st) {
  const bad = !!st.error || st.checks.some(function (c) { return !c.ok; });
  const captured = st.captured && Object.keys(st.captured).length
    ? h('div', { class: 'muted' }, 'captured: ' + Object.keys(st.captured).map(function (k) { return k + '=' + st.captured[k]; }).join(', '))
    : null;
  const body = [
    h('h4', null, [h('span', { class: 'phase' }, st.phase), st.name, bad ? h('span', { class: 'ko' }, '  ✗') : null]),
    st.error ? h('div', { class: 'error' }, st.error) : null,
    checksTable(st.checks),
    captured,
  ];
  if (st.exchange) {
    // Exchanges that explain a failure are shown; the others fold away.
    body.push(bad ? exchangeBlock(st.exchange, true)
      : h('details', null, [h('summary', { class: 'muted' }, 'exchange: ' + st.exchange.request.method + ' ' + st.exchange.request.url +
        (st.exchange.response ? ' → ' + st.exchange.response.status : '')), exchangeBlock(st.exchange, false)]));
  }
  return h('div', { class: 'step' + (bad ? ' bad' : '') }, body);
}

function renderDetail(s) {
  const wrap = h('div', { class: 'detail' });
  append(wrap, metaList([
    ['Requirement', [h('span', { class: 'lvl' }, s.level), ' ', s.requirement]],
    ['Section', rfcLabel(s.rfc) + ' §' + s.section],
    ['Covers', (s.covers || []).join(', ')],
    ['Requires', (s.requires || []).join(', ')],
    ['Grade', [badge(s.grade), s.reason ? ' ' + s.reason : '']],
    ['Baseline', s.baselineReason],
    ['Duration', fmtMs(s.durationMs)],
    ['Defined at', h('span', { class: 'mono' }, s.at)],
  ]));
  if (!s.steps.length) append(wrap, h('div', { class: 'muted' }, 'No steps were run.'));
  for (const st of s.steps) append(wrap, stepBlock(st));
  return wrap;
}
`;
