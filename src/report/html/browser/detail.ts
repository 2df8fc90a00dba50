// In-page rendering of one scenario's detail: requirement, steps, checks (with diffs), exchanges.
// Built lazily when a scenario is opened so the initial page stays fast with thousands of rows.
import type { Exchange, Timings } from '../../../model/exchange.js';
import type { CheckResult, ScenarioResult, StepResult } from '../../../model/result.js';
import { append, badge, bodyBlock, type Child, diffBlock, fmtMs, h, headerText, metaList, rfcLabel } from './util.js';

function exchangeBlock(x: Exchange, open: boolean): HTMLDivElement[] {
  const req = x.request,
    res = x.response;
  const reqHead =
    req.method + ' ' + req.url + (Object.keys(req.headers || {}).length ? '\n' + headerText(req.headers) : '');
  const left = h('div', null, [
    h('h4', null, 'Request'),
    h('pre', { class: 'req-head' }, reqHead),
    req.body ? bodyBlock('request body', req.body, (req.headers || {})['content-type'], open) : null,
  ]);
  const right = h('div', null, h('h4', null, 'Response'));
  for (const hop of x.redirects || []) {
    const line = hop.status + ' ' + (hop.statusText || '') + ' → ' + (hop.redirectedTo || '?');
    append(right, h('pre', { class: 'muted' }, line));
  }
  if (res) {
    const head =
      res.status +
      (res.statusText ? ' ' + res.statusText : '') +
      (Object.keys(res.headers || {}).length ? '\n' + headerText(res.headers) : '');
    append(right, [
      h('pre', { class: 'res-head' }, head),
      bodyBlock('response body', res.body, (res.headers || {})['content-type'], open),
    ]);
    if (res.truncated) append(right, h('div', { class: 'muted' }, 'body truncated at the capture limit'));
  }
  if (x.error) append(right, h('div', { class: 'error' }, 'transport error: ' + x.error));
  const t: Partial<Timings> = x.timings || {};
  const timing =
    'sent ' +
    (t.startedAt ? new Date(t.startedAt).toISOString().slice(11, 23) : '?') +
    (t.headersMs != null ? ' · headers ' + fmtMs(t.headersMs) : '') +
    ' · total ' +
    fmtMs(t.totalMs);
  return [h('div', { class: 'xchg' }, [left, right]), h('div', { class: 'muted' }, timing)];
}

function checksTable(checks: CheckResult[]): HTMLTableElement | null {
  if (!checks.length) return null;
  const rows: HTMLTableRowElement[] = [];
  for (const c of checks) {
    const exp = c.expected || [];
    rows.push(
      h('tr', null, [
        h('td', { class: c.ok ? 'ok' : 'ko', title: c.ok ? 'held' : 'violated' }, c.ok ? '✓' : '✗'),
        h('td', null, [c.description, c.at ? h('div', { class: 'muted mono' }, c.at) : null]),
        h('td', null, exp.length ? h('pre', null, exp.join('\n')) : h('span', { class: 'muted' }, '—')),
        h('td', null, h('pre', null, c.actual)),
      ]),
    );
    // Informational notes (e.g. what a server legally changed in a stored object) never fail a check.
    if (c.notes && c.notes.length) {
      const items = c.notes.map((n) => h('li', null, n));
      const info = h('td', { title: 'informational, not a failure' }, 'ℹ');
      rows.push(h('tr', { class: 'notes' }, [info, h('td', { colspan: 3 }, h('ul', { class: 'muted' }, items))]));
    }
    // A single multi-line expectation against multi-line output is a text comparison
    // (iCalendar or XML): a line diff shows the difference far better than two blocks.
    if (!c.ok && exp.length === 1 && exp[0].indexOf('\n') >= 0 && c.actual.indexOf('\n') >= 0) {
      const diff = diffBlock(exp[0], c.actual);
      if (diff) {
        rows.push(
          h('tr', null, [
            h('td'),
            h('td', { colspan: 3 }, [h('div', { class: 'muted' }, 'diff (− expected, + actual)'), diff]),
          ]),
        );
      }
    }
  }
  return h('table', { class: 'checks' }, [
    h(
      'thead',
      null,
      h('tr', null, [h('th'), h('th', null, 'check'), h('th', null, 'expected'), h('th', null, 'actual')]),
    ),
    h('tbody', null, rows),
  ]);
}

function stepBlock(st: StepResult): HTMLDivElement {
  const bad = !!st.error || st.checks.some((c) => !c.ok);
  const cap = st.captured;
  const captured =
    cap && Object.keys(cap).length
      ? h(
          'div',
          { class: 'muted' },
          'captured: ' +
            Object.keys(cap)
              .map((k) => k + '=' + cap[k])
              .join(', '),
        )
      : null;
  const body: Child[] = [
    h('h4', null, [h('span', { class: 'phase' }, st.phase), st.name, bad ? h('span', { class: 'ko' }, '  ✗') : null]),
    st.error ? h('div', { class: 'error' }, st.error) : null,
    checksTable(st.checks),
    captured,
  ];
  const x = st.exchange;
  if (x) {
    // Exchanges that explain a failure are shown; the others fold away.
    const summary =
      'exchange: ' + x.request.method + ' ' + x.request.url + (x.response ? ' → ' + x.response.status : '');
    body.push(
      bad
        ? exchangeBlock(x, true)
        : h('details', null, [h('summary', { class: 'muted' }, summary), exchangeBlock(x, false)]),
    );
  }
  return h('div', { class: 'step' + (bad ? ' bad' : '') }, body);
}

/** exchangesOmitted: the page was built without the exchanges of passing scenarios (embed.ts). */
export function renderDetail(s: ScenarioResult, exchangesOmitted = false): HTMLDivElement {
  const wrap = h('div', { class: 'detail' });
  append(
    wrap,
    metaList([
      ['Requirement', [h('span', { class: 'lvl' }, s.level), ' ', s.requirement]],
      ['Section', rfcLabel(s.rfc) + ' §' + s.section],
      ['Covers', (s.covers || []).join(', ')],
      ['Requires', (s.requires || []).join(', ')],
      ['Grade', [badge(s.grade), s.reason ? ' ' + s.reason : '']],
      ['Baseline', s.baselineReason],
      ['Duration', fmtMs(s.durationMs)],
      ['Defined at', h('span', { class: 'mono' }, s.at)],
    ]),
  );
  if (!s.steps.length) append(wrap, h('div', { class: 'muted' }, 'No steps were run.'));
  for (const st of s.steps) append(wrap, stepBlock(st));
  if (exchangesOmitted && s.steps.length && !s.steps.some((st) => st.exchange)) {
    append(
      wrap,
      h('div', { class: 'muted omitted' }, 'Exchanges of passing scenarios are not in this page; see results.json.'),
    );
  }
  return wrap;
}
