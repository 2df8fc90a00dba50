// Collection probes: creating the scratch calendar (MKCALENDAR, extended MKCOL), plain MKCOL,
// finding an existing calendar when creation is refused, and the calendar's own properties.
import { deepText } from '../../xml/element.js';
import { hrefPath } from '../../xml/href.js';
import {
  describe,
  localNames,
  ms,
  NSDECL,
  ok,
  prop,
  propfindBody,
  refusalGrade,
  send,
  status,
  XML,
  type ProbeContext,
} from '../context.js';
import type { ProbeResult } from '../types.js';
import { C, D, result } from './shared.js';

const MKCALENDAR_BODY =
  '<?xml version="1.0" encoding="utf-8"?>\n' +
  `<c:mkcalendar ${NSDECL}><d:set><d:prop><d:displayname>calspec discover scratch</d:displayname>` +
  '</d:prop></d:set></c:mkcalendar>';

const EXT_MKCOL_BODY =
  '<?xml version="1.0" encoding="utf-8"?>\n' +
  `<d:mkcol ${NSDECL}><d:set><d:prop><d:resourcetype><d:collection/><c:calendar/></d:resourcetype>` +
  '<d:displayname>calspec discover mkcol</d:displayname></d:prop></d:set></d:mkcol>';

export async function probeMkcalendar(ctx: ProbeContext, path: string): Promise<ProbeResult> {
  const ex = await send(ctx, 'MKCALENDAR', path, { body: MKCALENDAR_BODY, headers: XML });
  if (ok(ex)) {
    ctx.sandbox.track(path, ctx.auth, 'discover');
    const check = await send(ctx, 'PROPFIND', path, {
      body: propfindBody(['d:resourcetype']),
      headers: { ...XML, depth: '0' },
    });
    const isCal = localNames(prop(ms(check), D('resourcetype'))).includes('calendar');
    if (!isCal)
      return result(
        'mkcalendar',
        'MKCALENDAR',
        'broken',
        `answered ${status(ex)} but the new collection is not a calendar`,
        { feature: 'mkcalendar' },
      );
    return result(
      'mkcalendar',
      'MKCALENDAR',
      status(ex) === 201 ? 'full' : 'quirk',
      `created the scratch calendar (${status(ex)})`,
      { feature: 'mkcalendar' },
    );
  }
  const r = refusalGrade(ex);
  return result('mkcalendar', 'MKCALENDAR', r.grade, r.observed, { feature: 'mkcalendar' });
}

export async function probeExtendedMkcol(
  ctx: ProbeContext,
  path: string,
): Promise<{ probe: ProbeResult; created: boolean }> {
  const ex = await send(ctx, 'MKCOL', path, { body: EXT_MKCOL_BODY, headers: XML });
  if (ok(ex)) {
    ctx.sandbox.track(path, ctx.auth, 'discover');
    const check = await send(ctx, 'PROPFIND', path, {
      body: propfindBody(['d:resourcetype']),
      headers: { ...XML, depth: '0' },
    });
    const isCal = localNames(prop(ms(check), D('resourcetype'))).includes('calendar');
    const bodyOk = ex.response!.body.trim() === '' || /mkcol-response/.test(ex.response!.body);
    if (!isCal)
      return {
        created: false,
        probe: result(
          'extended-mkcol',
          'RFC 5689 extended MKCOL',
          'broken',
          `answered ${status(ex)} but created a plain collection, not a calendar`,
          { feature: 'extended-mkcol' },
        ),
      };
    return {
      created: true,
      probe: result(
        'extended-mkcol',
        'RFC 5689 extended MKCOL',
        bodyOk ? 'full' : 'quirk',
        `created a calendar with MKCOL + resourcetype (${status(ex)})` +
          `${bodyOk ? '' : '; body is not DAV:mkcol-response'}`,
        { feature: 'extended-mkcol' },
      ),
    };
  }
  const r = refusalGrade(ex);
  return {
    created: false,
    probe: result('extended-mkcol', 'RFC 5689 extended MKCOL', r.grade, r.observed, { feature: 'extended-mkcol' }),
  };
}

export async function probeMkcol(ctx: ProbeContext, path: string): Promise<ProbeResult> {
  const ex = await send(ctx, 'MKCOL', path);
  if (ok(ex)) {
    ctx.sandbox.track(path, ctx.auth, 'discover');
    return result(
      'mkcol',
      'plain MKCOL in the home',
      status(ex) === 201 ? 'full' : 'quirk',
      `created an ordinary collection (${status(ex)})`,
      { feature: 'mkcol' },
    );
  }
  const r = refusalGrade(ex);
  return result('mkcol', 'plain MKCOL in the home', r.grade, r.observed, { feature: 'mkcol' });
}

/** The first calendar in the home (for servers that refuse MKCALENDAR). */
export async function findExistingCalendar(ctx: ProbeContext): Promise<string | undefined> {
  const ex = await send(ctx, 'PROPFIND', ctx.home, {
    body: propfindBody(['d:resourcetype', 'c:supported-calendar-component-set']),
    headers: { ...XML, depth: '1' },
  });
  const m = ms(ex);
  for (const r of m?.responses ?? []) {
    const rt = r.propstats.find((p) => p.status === 200)?.props.find((p) => p.name === D('resourcetype'));
    if (rt && localNames(rt).includes('calendar')) {
      const path = hrefPath(r.href, ctx.baseUrl);
      return path.endsWith('/') ? path : `${path}/`;
    }
  }
  return undefined;
}

export async function probeCalendarProps(ctx: ProbeContext): Promise<ProbeResult[]> {
  const ex = await send(ctx, 'PROPFIND', ctx.calendar!, {
    body: propfindBody([
      'd:supported-report-set',
      'c:supported-calendar-component-set',
      'c:max-resource-size',
      'c:min-date-time',
      'c:max-date-time',
      'c:max-instances',
      'c:max-attendees-per-instance',
      'd:current-user-privilege-set',
      'd:acl',
      'd:owner',
      'd:sync-token',
      'cs:getctag',
    ]),
    headers: { ...XML, depth: '0' },
  });
  const m = ms(ex);
  if (!m)
    return [
      result(
        'calendar-properties',
        'calendar properties',
        'broken',
        `PROPFIND of the calendar answered ${describe(ex)}`,
      ),
    ];
  const out: ProbeResult[] = [];
  const reports = prop(m, D('supported-report-set'));
  const reportNames = reports
    ? reports.children.map((sr) => localNames(sr).filter((n) => n !== 'report' && n !== 'supported-report')).flat()
    : [];
  out.push(
    result(
      'supported-report-set',
      'DAV:supported-report-set',
      reports
        ? reportNames.includes('calendar-query') && reportNames.includes('calendar-multiget')
          ? 'full'
          : 'quirk'
        : 'unsupported',
      reports ? reportNames.join(', ') || '(empty)' : 'property not available on the calendar',
    ),
  );
  const comps = prop(m, C('supported-calendar-component-set'));
  const compNames = comps ? comps.children.map((c) => c.attrs.name ?? '?') : [];
  out.push(
    result(
      'supported-calendar-component-set',
      'CALDAV:supported-calendar-component-set',
      comps ? 'full' : 'quirk',
      comps ? compNames.join(', ') : 'property not reported (any component accepted?)',
    ),
  );
  // RFC 4791 §5.2.5-§5.2.9: each limit property MAY be defined; absent from the propstat = not defined.
  const limits: [string, 'max-resource-size' | 'date-limits' | 'max-instances' | 'max-attendees'][] = [
    ['max-resource-size', 'max-resource-size'],
    ['min-date-time', 'date-limits'],
    ['max-date-time', 'date-limits'],
    ['max-instances', 'max-instances'],
    ['max-attendees-per-instance', 'max-attendees'],
  ];
  const features: ProbeResult['features'] = {};
  const observedFor: ProbeResult['observedFor'] = {};
  const seen: string[] = [];
  const unreported: string[] = [];
  for (const [label, feature] of limits) {
    const p = prop(m, C(label));
    // The date-limit scenarios read both properties, so date-limits needs both.
    features[feature] = Boolean(p) && features[feature] !== false;
    const line = p ? `${label}=${deepText(p).trim()}` : `${label} not returned`;
    observedFor[feature] = observedFor[feature] ? `${observedFor[feature]}, ${line}` : line;
    if (p) seen.push(line);
    else unreported.push(label);
  }
  for (const f of Object.keys(observedFor) as (keyof typeof observedFor)[])
    observedFor[f] = `PROPFIND of the calendar: ${observedFor[f]}`;
  out.push(
    result(
      'calendar-limits',
      'CALDAV max-resource-size / date limits / max-instances / max-attendees',
      seen.length ? 'full' : 'unsupported',
      seen.length
        ? `${seen.join(', ')}${unreported.length ? `; not defined: ${unreported.join(', ')}` : ''}`
        : `none of the limit properties is defined (${unreported.join(', ')} not in the PROPFIND answer)`,
      { features, observedFor },
    ),
  );
  return out;
}
