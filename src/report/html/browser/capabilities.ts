// The run's capabilities as a collapsed section under the summary: every capability the selected
// scenarios needed, its state, where that came from (probe, profile, default), the evidence and the
// requests behind it. Absent ones explain the "target lacks ..." skips; broken ones why they ran.
import type { Capability, RunResults } from '../../../model/result.js';
import { type Child, fmtMs, h } from './util.js';

const STATE_CLASS: Record<Capability['state'], string | null> = { present: 'ok', absent: 'muted', broken: 'ko' };

function requestList(c: Capability): Child {
  if (!c.requests || !c.requests.length) return null;
  return h('details', null, [
    h('summary', null, c.requests.length + ' request' + (c.requests.length > 1 ? 's' : '')),
    h(
      'pre',
      { class: 'mono' },
      c.requests
        .map((r) => r.method + ' ' + r.url + ' → ' + (r.status != null ? r.status : r.error || 'no answer'))
        .join('\n'),
    ),
  ]);
}

export function capabilitiesSection(r: RunResults): Child {
  const report = r.capabilities;
  if (!report || !report.capabilities.length) return null;
  const list = report.capabilities;
  const count = (s: Capability['state']): number => list.filter((c) => c.state === s).length;
  const head =
    'Capabilities: ' +
    list.length +
    ' needed, ' +
    count('present') +
    ' present, ' +
    count('absent') +
    ' absent, ' +
    count('broken') +
    ' broken' +
    (report.probed
      ? ' (probed in ' + fmtMs(report.probeMs) + ', ' + report.requestCount + ' requests)'
      : ' (not probed)');
  // Not-present first: they are the ones that change what ran.
  const rows = list.slice().sort((a, b) => Number(a.state === 'present') - Number(b.state === 'present'));
  return h('details', { class: 'capabilities', id: 'capabilities' }, [
    h('summary', null, head),
    h('table', null, [
      h(
        'thead',
        null,
        h('tr', null, [
          h('th', null, 'capability'),
          h('th', null, 'state'),
          h('th', null, 'from'),
          h('th', null, 'evidence'),
        ]),
      ),
      h(
        'tbody',
        null,
        rows.map((c) =>
          h('tr', { 'data-state': c.state }, [
            h('td', null, h('code', null, c.feature)),
            h('td', { class: STATE_CLASS[c.state] }, c.state),
            h('td', null, c.source),
            h('td', null, [c.evidence, requestList(c)]),
          ]),
        ),
      ),
    ]),
  ]);
}
