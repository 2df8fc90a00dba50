// The top of a run's page, built for the question a reader opens it with: did the server regress?
// A status line (unexpected failures vs the ones the baseline expects), then the failures grouped
// by RFC section, each linking to its row in the full list further down.
import type { Grade, RunResults, ScenarioResult } from '../../../model/result.js';
import { append, badge, type Child, collator, h, rfcLabel } from './util.js';

/** The grades that make the run exit non-zero, as the runner counts them (engine/runner.ts). */
function unexpectedGrades(r: RunResults): Grade[] {
  return r.strict ? ['failed', 'errored', 'non-strict'] : ['failed', 'errored'];
}
/** Worth a look but not a regression: known to the baseline, SHOULD-level, or setup failed. */
function notedGrades(r: RunResults): Grade[] {
  return r.strict ? ['expected-fail', 'blocked'] : ['expected-fail', 'non-strict', 'blocked'];
}

function allScenarios(r: RunResults): ScenarioResult[] {
  return r.suites.flatMap((s) => s.scenarios);
}

function count(list: ScenarioResult[], grades: readonly Grade[]): number {
  return list.filter((s) => grades.indexOf(s.grade) >= 0).length;
}

/** One line that answers "did it regress?", coloured by the answer. */
export function statusBanner(r: RunResults): HTMLDivElement {
  const list = allScenarios(r);
  const bad = count(list, unexpectedGrades(r));
  const expected = r.summary['expected-fail'] || 0;
  const should = r.summary['non-strict'] || 0;
  const fixed = r.summary.fixed || 0;
  const head = bad
    ? 'Regressed: ' + bad + ' unexpected failure' + (bad > 1 ? 's' : '')
    : r.interrupted
      ? 'Interrupted: no unexpected failure so far'
      : 'No regression: no unexpected failure';
  const parts = [
    (r.summary.passed || 0) + ' passed',
    expected + ' expected by the baseline',
    should + ' SHOULD-level',
    fixed ? fixed + ' fixed (now passing, still in the baseline)' : '',
    (r.summary.skipped || 0) + ' skipped',
    'exit code ' + r.exitCode + (r.strict ? ' (strict)' : ''),
  ].filter((x) => x);
  return h('div', { class: 'status ' + (bad ? 'regressed' : 'clean'), id: 'status' }, [
    h('strong', null, head),
    h('span', { class: 'muted' }, ' · ' + parts.join(' · ')),
  ]);
}

function failureList(list: ScenarioResult[]): HTMLElement {
  const bySection = new Map<string, ScenarioResult[]>();
  for (const s of list) {
    const id = s.rfc + ' §' + s.section;
    const mine = bySection.get(id) || [];
    mine.push(s);
    bySection.set(id, mine);
  }
  const out = h('div', { class: 'fail-groups' });
  for (const id of Array.from(bySection.keys()).sort(collator.compare)) {
    const items = (bySection.get(id) || []).map((s) =>
      h('li', null, [
        badge(s.grade),
        ' ',
        h('a', { href: '#' + encodeURIComponent(s.key) }, s.title),
        s.reason ? h('span', { class: 'reason' }, s.reason) : null,
      ]),
    );
    const first = (bySection.get(id) || [])[0];
    append(out, [h('h3', null, first ? rfcLabel(first.rfc) + ' §' + first.section : id), h('ul', null, items)]);
  }
  return out;
}

/** New/unexpected failures first, then the ones that are known or only SHOULD-level. */
export function failuresSection(r: RunResults): HTMLElement {
  const list = allScenarios(r);
  const unexpected = unexpectedGrades(r),
    notable = notedGrades(r);
  const bad = list.filter((s) => unexpected.indexOf(s.grade) >= 0);
  const noted = list.filter((s) => notable.indexOf(s.grade) >= 0);
  const body: Child[] = [h('h2', null, 'Unexpected failures (' + bad.length + ')')];
  body.push(
    bad.length ? failureList(bad) : h('p', { class: 'muted' }, 'None: every MUST-level check held or was expected.'),
  );
  if (noted.length) {
    body.push(
      h('details', { class: 'noted' }, [
        h('summary', null, 'Expected by the baseline, SHOULD-level or blocked (' + noted.length + ')'),
        failureList(noted),
      ]),
    );
  }
  return h('section', { id: 'failures' }, body);
}

/** Said on the page so nobody hunts for exchanges that were deliberately left out. */
export function omittedNote(n: number | undefined): HTMLElement | null {
  if (!n) return null;
  return h(
    'p',
    { class: 'muted', id: 'omitted-note' },
    n + ' exchanges of passing scenarios are left out of this page to keep it small; results.json has them all.',
  );
}
