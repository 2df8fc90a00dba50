// REPORT probes on the calendar: calendar-query with a time-range, calendar-data expand,
// calendar-multiget (with a missing href) and free-busy-query.
import type { Exchange } from '../../model/exchange.js';
import { deepText } from '../../xml/element.js';
import { hrefPath } from '../../xml/href.js';
import { describe, ms, NSDECL, ok, refusalGrade, send, status, vevent, XML, type ProbeContext } from '../context.js';
import type { ProbeResult } from '../types.js';
import { C, eventB, obj, put, quirk, result } from './shared.js';

const QUERY = (range: string, extra = '') =>
  '<?xml version="1.0" encoding="utf-8"?>\n' +
  `<c:calendar-query ${NSDECL}><d:prop><d:getetag/><c:calendar-data>${extra}</c:calendar-data></d:prop>\n` +
  `<c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT">${range}</c:comp-filter>` +
  '</c:comp-filter></c:filter></c:calendar-query>';

function hrefsOf(ex: Exchange): string[] {
  return (ms(ex)?.responses ?? [])
    .filter((r) => r.status === null || r.status === 200)
    .map((r) => hrefPath(r.href).split('/').pop() ?? '');
}

export async function probeCalendarQuery(ctx: ProbeContext): Promise<ProbeResult> {
  // a.ics (Jan 15) exists; b.ics is in February.
  await put(ctx, 'b.ics', eventB(ctx));
  const ex = await send(ctx, 'REPORT', ctx.calendar!, {
    body: QUERY('<c:time-range start="20300110T000000Z" end="20300120T000000Z"/>'),
    headers: { ...XML, depth: '1' },
  });
  if (status(ex) !== 207) {
    const r = refusalGrade(ex);
    return result('calendar-query', 'calendar-query with time-range', r.grade, `REPORT ${r.observed}`, {
      feature: 'calendar-query',
    });
  }
  if (!ms(ex))
    return result(
      'calendar-query',
      'calendar-query with time-range',
      'broken',
      '207 with an unparsable multistatus body',
      { feature: 'calendar-query' },
    );
  const names = hrefsOf(ex)
    .filter((n) => n.includes('.ics'))
    .map((n) => n.replace(ctx.objectPrefix, ''));
  const hasA = names.includes('a.ics');
  const hasB = names.includes('b.ics');
  if (hasA && !hasB)
    return result(
      'calendar-query',
      'calendar-query with time-range',
      'full',
      'time-range selects the January event and not the February one',
      { feature: 'calendar-query' },
    );
  return result(
    'calendar-query',
    'calendar-query with time-range',
    'broken',
    `time-range returned ${names.join(', ') || 'nothing'} (expected a.ics only)`,
    { feature: 'calendar-query' },
  );
}

export async function probeExpand(ctx: ProbeContext): Promise<ProbeResult> {
  const made = await put(
    ctx,
    'r.ics',
    vevent(`calspec-${ctx.runId}-r`, '20300301T090000Z', '20300301T100000Z', 'RRULE:FREQ=DAILY;COUNT=3'),
  );
  if (!ok(made))
    return result('expand', 'calendar-data expand', 'broken', `could not store a recurring event: ${describe(made)}`, {
      feature: 'expand',
    });
  const ex = await send(ctx, 'REPORT', ctx.calendar!, {
    body: QUERY(
      '<c:time-range start="20300301T000000Z" end="20300310T000000Z"/>',
      '<c:expand start="20300301T000000Z" end="20300310T000000Z"/>',
    ),
    headers: { ...XML, depth: '1' },
  });
  const m = ms(ex);
  if (!m) {
    const r = refusalGrade(ex);
    return result(
      'expand',
      'calendar-data expand',
      status(ex) === 207 ? 'broken' : r.grade,
      status(ex) === 207 ? '207 with an unparsable body' : `REPORT ${r.observed}`,
      { feature: 'expand' },
    );
  }
  const resp = m.responses.find((r) => hrefPath(r.href).endsWith(`${ctx.objectPrefix}r.ics`));
  const data = resp?.propstats.find((p) => p.status === 200)?.props.find((p) => p.name === C('calendar-data'));
  const text = data ? deepText(data) : '';
  if (!text)
    return result(
      'expand',
      'calendar-data expand',
      'broken',
      'the recurring event is missing from the expanded query',
      { feature: 'expand' },
    );
  const instances = (text.match(/BEGIN:VEVENT/g) ?? []).length;
  const rids = (text.match(/RECURRENCE-ID/g) ?? []).length;
  const rrule = /RRULE/.test(text);
  if (instances === 3 && rids === 3 && !rrule)
    return result('expand', 'calendar-data expand', 'full', '3 instances with RECURRENCE-ID, no RRULE', {
      feature: 'expand',
    });
  if (instances === 3 && rids === 2 && !rrule) {
    return result(
      'expand',
      'calendar-data expand',
      'quirk',
      '3 instances, no RRULE, but the first instance has no RECURRENCE-ID',
      {
        feature: 'expand',
        quirks: [
          quirk(
            'expand-first-instance-without-recurrence-id',
            'Expanded recurrences carry RECURRENCE-ID on every instance but the first.',
          ),
        ],
      },
    );
  }
  if (instances === 1 && rrule)
    return result(
      'expand',
      'calendar-data expand',
      'unsupported',
      'expand ignored: the master with its RRULE comes back',
      { feature: 'expand' },
    );
  return result(
    'expand',
    'calendar-data expand',
    'broken',
    `${instances} VEVENTs, ${rids} RECURRENCE-IDs, RRULE ${rrule ? 'kept' : 'dropped'} (expected 3, 3, dropped)`,
    { feature: 'expand' },
  );
}

function multigetBody(ctx: ProbeContext, names: string[]): string {
  const hrefs = names.map((n) => `<d:href>${encodeURI(obj(ctx, n))}</d:href>`).join('');
  return (
    '<?xml version="1.0" encoding="utf-8"?>\n' +
    `<c:calendar-multiget ${NSDECL}><d:prop><d:getetag/><c:calendar-data/></d:prop>${hrefs}</c:calendar-multiget>`
  );
}

export async function probeMultiget(ctx: ProbeContext): Promise<ProbeResult> {
  const title = 'calendar-multiget';
  const ex = await send(ctx, 'REPORT', ctx.calendar!, {
    body: multigetBody(ctx, ['a.ics', 'b.ics']),
    headers: { ...XML, depth: '1' },
  });
  const m = ms(ex);
  if (!m) {
    const r = refusalGrade(ex);
    return result(
      'calendar-multiget',
      title,
      status(ex) === 207 ? 'broken' : r.grade,
      status(ex) === 207 ? '207 with an unparsable body' : `REPORT ${r.observed}`,
      { feature: 'calendar-multiget' },
    );
  }
  const by = (mm: typeof m, n: string) =>
    mm.responses.find((r) => hrefPath(r.href).endsWith(`/${ctx.objectPrefix}${n}`));
  const found = ['a.ics', 'b.ics'].filter((n) =>
    by(m, n)?.propstats.some(
      (p) =>
        p.status === 200 &&
        p.props.some((x) => x.name === C('calendar-data') && deepText(x).includes('BEGIN:VCALENDAR')),
    ),
  );
  if (found.length !== 2)
    return result(
      'calendar-multiget',
      title,
      'broken',
      `returned calendar-data for ${found.length} of 2 existing hrefs`,
      { feature: 'calendar-multiget' },
    );
  // One href that does not exist: RFC 4791 §7.9 wants a 404 response for it, the others as usual.
  const withMissing = await send(ctx, 'REPORT', ctx.calendar!, {
    body: multigetBody(ctx, ['a.ics', 'missing.ics']),
    headers: { ...XML, depth: '1' },
  });
  const m2 = ms(withMissing);
  if (!m2) {
    return result(
      'calendar-multiget',
      title,
      'quirk',
      `both objects returned; with one missing href the whole REPORT answers ${describe(withMissing)}`,
      {
        feature: 'calendar-multiget',
        quirks: [
          quirk(
            'multiget-missing-href-fails-request',
            `calendar-multiget with one href that does not exist fails as a whole (${describe(withMissing)}) ` +
              'instead of a 404 response for that href.',
          ),
        ],
      },
    );
  }
  const missing = by(m2, 'missing.ics');
  const missingStatus = missing?.status ?? missing?.propstats[0]?.status ?? undefined;
  if (!missing)
    return result(
      'calendar-multiget',
      title,
      'quirk',
      'both objects returned; a missing href is silently omitted (should be 404)',
      {
        feature: 'calendar-multiget',
        quirks: [
          quirk(
            'multiget-omits-missing',
            'calendar-multiget leaves out hrefs that do not exist instead of a 404 response.',
          ),
        ],
      },
    );
  return result(
    'calendar-multiget',
    title,
    missingStatus === 404 ? 'full' : 'quirk',
    `both objects returned; a missing href answered ${missingStatus ?? 'without a status'}`,
    { feature: 'calendar-multiget' },
  );
}

export async function probeFreeBusy(ctx: ProbeContext): Promise<ProbeResult> {
  const body =
    '<?xml version="1.0" encoding="utf-8"?>\n' +
    `<c:free-busy-query ${NSDECL}><c:time-range start="20300115T000000Z" end="20300116T000000Z"/>` +
    '</c:free-busy-query>';
  const ex = await send(ctx, 'REPORT', ctx.calendar!, { body, headers: { ...XML, depth: '1' } });
  const s = status(ex);
  const text = ex.response?.body ?? '';
  if (s === 200 && /BEGIN:VFREEBUSY/.test(text)) {
    const busy = /FREEBUSY[^:]*:[^\r\n]*20300115T100000Z/.test(text.replace(/\r?\n[ \t]/g, ''));
    return result(
      'free-busy-query',
      'free-busy-query REPORT',
      busy ? 'full' : 'broken',
      busy ? 'VFREEBUSY with the busy period of the event' : "VFREEBUSY without the event's busy period",
      { feature: 'free-busy-query' },
    );
  }
  if (s === 207)
    return result(
      'free-busy-query',
      'free-busy-query REPORT',
      'broken',
      'answered 207 multistatus instead of 200 text/calendar VFREEBUSY (report not implemented as such)',
      { feature: 'free-busy-query' },
    );
  if (s === 200)
    return result(
      'free-busy-query',
      'free-busy-query REPORT',
      'broken',
      `200 without a VFREEBUSY (${ex.response!.headers['content-type'] ?? 'no content-type'})`,
      { feature: 'free-busy-query' },
    );
  const r = refusalGrade(ex);
  return result('free-busy-query', 'free-busy-query REPORT', r.grade, `REPORT ${r.observed}`, {
    feature: 'free-busy-query',
  });
}
