// The discover probes. Each sends a handful of requests and grades one capability with the
// observed behaviour in one line. Writes happen only inside the scratch calendar (or, when the
// server refuses MKCALENDAR, as run-prefixed objects in an existing calendar) and in run-prefixed
// collections under the home; the sandbox tracks all of it for cleanup.
import type { Exchange } from '../model/exchange.js';
import type { ProfileQuirk } from '../model/profile.js';
import { deepText } from '../xml/element.js';
import { hrefPath } from '../xml/href.js';
import {
  describe, hrefOf, ICAL, localNames, ms, NSDECL, ok, prop, propfindBody, refusalGrade, send, sleep, status, vcal, vevent, XML,
  type ProbeContext,
} from './context.js';
import type { FeatureGrade, ProbeResult } from './types.js';

const C = (local: string) => `{urn:ietf:params:xml:ns:caldav}${local}`;
const D = (local: string) => `{DAV:}${local}`;
const CS = (local: string) => `{http://calendarserver.org/ns/}${local}`;

function result(id: string, title: string, grade: FeatureGrade, observed: string, extra: Partial<ProbeResult> = {}): ProbeResult {
  return { id, title, grade, observed, ...extra };
}

function quirk(id: string, description: string): ProfileQuirk {
  return { id, description };
}

const obj = (ctx: ProbeContext, name: string) => `${ctx.calendar}${ctx.objectPrefix}${name}`;

/** PUT an object; in a shared calendar, track it for cleanup. */
async function put(ctx: ProbeContext, name: string, body: string, headers: Record<string, string> = {}): Promise<Exchange> {
  const path = obj(ctx, name);
  const ex = await send(ctx, 'PUT', path, { body, headers: { ...ICAL, ...headers } });
  if (ok(ex) && !ctx.ownCalendar) ctx.sandbox.track(path, ctx.auth, 'discover');
  return ex;
}

// ---------------------------------------------------------------- account-level probes

export async function probeAuth(ctx: ProbeContext): Promise<{ probe: ProbeResult; scheme: 'basic' | 'digest' | 'bearer' | 'none' }> {
  const ex = await send(ctx, 'PROPFIND', ctx.principal, { body: propfindBody(['d:resourcetype']), headers: { ...XML, depth: '0' }, anonymous: true });
  const s = status(ex);
  if (s === 401) {
    const challenge = ex.response!.headers['www-authenticate'] ?? '';
    const scheme = /digest/i.test(challenge) && !/basic/i.test(challenge) ? 'digest' : /bearer/i.test(challenge) && !/basic/i.test(challenge) ? 'bearer' : 'basic';
    return { scheme, probe: result('auth', 'authentication required', 'full', `anonymous PROPFIND of the principal: 401, challenge ${challenge.split(/[ ,]/)[0] || '(none)'}`, { feature: 'auth' }) };
  }
  if (s === 207 || s === 200) {
    return {
      scheme: 'none',
      probe: result('auth', 'authentication required', 'unsupported', `anonymous PROPFIND of the principal answered ${s}: no authentication (single user)`, {
        feature: 'auth', quirks: [quirk('no-auth', 'The server does no authentication: any or no credentials are accepted, so multi-user scenarios cannot run.')],
      }),
    };
  }
  if (s === 403) return { scheme: 'basic', probe: result('auth', 'authentication required', 'quirk', 'anonymous PROPFIND of the principal answered 403 rather than 401', { feature: 'auth' }) };
  return { scheme: 'basic', probe: result('auth', 'authentication required', 'quirk', `anonymous PROPFIND of the principal answered ${describe(ex)}`, { feature: 'auth' }) };
}

export async function probeOptions(ctx: ProbeContext): Promise<{ probe: ProbeResult; allow?: string }> {
  const base = await send(ctx, 'OPTIONS', ctx.baseUrl);
  const home = await send(ctx, 'OPTIONS', ctx.home);
  const classes = (ex: Exchange) => (ex.response?.headers.dav ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  const baseClasses = classes(base);
  const homeClasses = classes(home);
  const all = [...new Set([...baseClasses, ...homeClasses])];
  ctx.davClasses = all;
  const allow = home.response?.headers.allow ?? base.response?.headers.allow;
  const observed = `DAV: ${all.join(', ') || '(none)'}; Allow: ${allow ?? '(none)'}`;
  const quirks: ProfileQuirk[] = [];
  if (!ok(base) && !ok(home)) return { probe: result('options', 'OPTIONS (DAV classes, Allow)', 'broken', `OPTIONS answered ${describe(base)} / ${describe(home)}`) };
  let grade: FeatureGrade = 'full';
  let note = '';
  if (!all.includes('calendar-access')) {
    grade = 'broken';
    note = ' — calendar-access is not advertised';
  } else if (!baseClasses.includes('calendar-access')) {
    grade = 'quirk';
    note = ` — only the home advertises calendar-access, the base URL ${baseClasses.length ? 'does not' : 'sends no DAV header'}`;
    quirks.push(quirk('dav-header-only-on-home', `OPTIONS on the base URL ${baseClasses.length ? 'lacks calendar-access' : 'has no DAV header'}; the calendar home has it.`));
  }
  if (allow && !/MKCALENDAR/i.test(allow)) quirks.push(quirk('allow-lacks-mkcalendar', 'The Allow header does not list MKCALENDAR although MKCALENDAR may work.'));
  return { probe: result('options', 'OPTIONS (DAV classes, Allow)', grade, observed + note, { quirks }), ...(allow ? { allow } : {}) };
}

export async function probeWellKnown(ctx: ProbeContext): Promise<ProbeResult> {
  const url = new URL('/.well-known/caldav', ctx.baseUrl).toString();
  const ex = await send(ctx, 'PROPFIND', url, { body: propfindBody(['d:current-user-principal']), headers: { ...XML, depth: '0' } });
  const s = status(ex);
  if (s !== undefined && s >= 300 && s < 400) {
    const loc = ex.response!.headers.location ?? '(no Location)';
    return result('well-known', 'RFC 6764 /.well-known/caldav', loc === '(no Location)' ? 'broken' : 'full', `PROPFIND answered ${s} → ${loc}`, { feature: 'well-known' });
  }
  if (s === 207) {
    const principal = hrefOf(prop(ms(ex), D('current-user-principal')));
    return result('well-known', 'RFC 6764 /.well-known/caldav', principal ? 'quirk' : 'broken',
      `PROPFIND answered 207 in place${principal ? ` (current-user-principal ${principal}) rather than redirecting` : ' without current-user-principal'}`, { feature: 'well-known' });
  }
  const refusal = refusalGrade(ex);
  return result('well-known', 'RFC 6764 /.well-known/caldav', refusal.grade === 'broken' ? 'broken' : s === 404 ? 'unsupported' : refusal.grade, `PROPFIND ${refusal.observed}`, { feature: 'well-known' });
}

export function probePrincipal(notes: string[], principal: string, home: string): ProbeResult[] {
  const viaWellKnown = notes.some((n) => n.includes('principal found through'));
  const principalFromProfile = notes.some((n) => n.includes('principal taken from the profile'));
  const homeFromProfile = notes.some((n) => n.includes('calendar home taken from the profile'));
  const same = principal.replace(/\/?$/, '/') === home;
  const quirks = same ? [quirk('principal-is-home', 'The principal URL and the calendar home are the same collection.')] : [];
  return [
    result('principal', 'RFC 5397 current-user-principal', principalFromProfile ? 'unsupported' : viaWellKnown ? 'quirk' : 'full',
      principalFromProfile ? `no current-user-principal; using the profile's ${principal}` : `${principal}${viaWellKnown ? ' (only through /.well-known/caldav)' : ''}`),
    result('home-set', 'RFC 4791 calendar-home-set', homeFromProfile ? 'unsupported' : 'full',
      homeFromProfile ? `no calendar-home-set; using the profile's ${home}` : `${home}${same ? ' (same collection as the principal)' : ''}`, { quirks }),
  ];
}

// ---------------------------------------------------------------- collection creation

const MKCALENDAR_BODY = `<?xml version="1.0" encoding="utf-8"?>
<c:mkcalendar ${NSDECL}><d:set><d:prop><d:displayname>calspec discover scratch</d:displayname></d:prop></d:set></c:mkcalendar>`;

const EXT_MKCOL_BODY = `<?xml version="1.0" encoding="utf-8"?>
<d:mkcol ${NSDECL}><d:set><d:prop><d:resourcetype><d:collection/><c:calendar/></d:resourcetype><d:displayname>calspec discover mkcol</d:displayname></d:prop></d:set></d:mkcol>`;

export async function probeMkcalendar(ctx: ProbeContext, path: string): Promise<ProbeResult> {
  const ex = await send(ctx, 'MKCALENDAR', path, { body: MKCALENDAR_BODY, headers: XML });
  if (ok(ex)) {
    ctx.sandbox.track(path, ctx.auth, 'discover');
    const check = await send(ctx, 'PROPFIND', path, { body: propfindBody(['d:resourcetype']), headers: { ...XML, depth: '0' } });
    const isCal = localNames(prop(ms(check), D('resourcetype'))).includes('calendar');
    if (!isCal) return result('mkcalendar', 'MKCALENDAR', 'broken', `answered ${status(ex)} but the new collection is not a calendar`, { feature: 'mkcalendar' });
    return result('mkcalendar', 'MKCALENDAR', status(ex) === 201 ? 'full' : 'quirk', `created the scratch calendar (${status(ex)})`, { feature: 'mkcalendar' });
  }
  const r = refusalGrade(ex);
  return result('mkcalendar', 'MKCALENDAR', r.grade, r.observed, { feature: 'mkcalendar' });
}

export async function probeExtendedMkcol(ctx: ProbeContext, path: string): Promise<{ probe: ProbeResult; created: boolean }> {
  const ex = await send(ctx, 'MKCOL', path, { body: EXT_MKCOL_BODY, headers: XML });
  if (ok(ex)) {
    ctx.sandbox.track(path, ctx.auth, 'discover');
    const check = await send(ctx, 'PROPFIND', path, { body: propfindBody(['d:resourcetype']), headers: { ...XML, depth: '0' } });
    const isCal = localNames(prop(ms(check), D('resourcetype'))).includes('calendar');
    const bodyOk = ex.response!.body.trim() === '' || /mkcol-response/.test(ex.response!.body);
    if (!isCal) return { created: false, probe: result('extended-mkcol', 'RFC 5689 extended MKCOL', 'broken', `answered ${status(ex)} but created a plain collection, not a calendar`, { feature: 'extended-mkcol' }) };
    return { created: true, probe: result('extended-mkcol', 'RFC 5689 extended MKCOL', bodyOk ? 'full' : 'quirk', `created a calendar with MKCOL + resourcetype (${status(ex)})${bodyOk ? '' : '; body is not DAV:mkcol-response'}`, { feature: 'extended-mkcol' }) };
  }
  const r = refusalGrade(ex);
  return { created: false, probe: result('extended-mkcol', 'RFC 5689 extended MKCOL', r.grade, r.observed, { feature: 'extended-mkcol' }) };
}

export async function probeMkcol(ctx: ProbeContext, path: string): Promise<ProbeResult> {
  const ex = await send(ctx, 'MKCOL', path);
  if (ok(ex)) {
    ctx.sandbox.track(path, ctx.auth, 'discover');
    return result('mkcol', 'plain MKCOL in the home', status(ex) === 201 ? 'full' : 'quirk', `created an ordinary collection (${status(ex)})`, { feature: 'mkcol' });
  }
  const r = refusalGrade(ex);
  return result('mkcol', 'plain MKCOL in the home', r.grade, r.observed, { feature: 'mkcol' });
}

/** The first calendar in the home (for servers that refuse MKCALENDAR). */
export async function findExistingCalendar(ctx: ProbeContext): Promise<string | undefined> {
  const ex = await send(ctx, 'PROPFIND', ctx.home, { body: propfindBody(['d:resourcetype', 'c:supported-calendar-component-set']), headers: { ...XML, depth: '1' } });
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

// ---------------------------------------------------------------- calendar properties

export async function probeCalendarProps(ctx: ProbeContext): Promise<ProbeResult[]> {
  const ex = await send(ctx, 'PROPFIND', ctx.calendar!, {
    body: propfindBody(['d:supported-report-set', 'c:supported-calendar-component-set', 'c:max-resource-size', 'c:min-date-time', 'c:max-date-time', 'c:max-instances', 'c:max-attendees-per-instance', 'd:current-user-privilege-set', 'd:acl', 'd:owner', 'd:sync-token', 'cs:getctag']),
    headers: { ...XML, depth: '0' },
  });
  const m = ms(ex);
  if (!m) return [result('calendar-properties', 'calendar properties', 'broken', `PROPFIND of the calendar answered ${describe(ex)}`)];
  const out: ProbeResult[] = [];
  const reports = prop(m, D('supported-report-set'));
  const reportNames = reports ? reports.children.map((sr) => localNames(sr).filter((n) => n !== 'report' && n !== 'supported-report')).flat() : [];
  out.push(result('supported-report-set', 'DAV:supported-report-set', reports ? (reportNames.includes('calendar-query') && reportNames.includes('calendar-multiget') ? 'full' : 'quirk') : 'unsupported',
    reports ? reportNames.join(', ') || '(empty)' : 'property not available on the calendar'));
  const comps = prop(m, C('supported-calendar-component-set'));
  const compNames = comps ? comps.children.map((c) => c.attrs.name ?? '?') : [];
  out.push(result('supported-calendar-component-set', 'CALDAV:supported-calendar-component-set', comps ? 'full' : 'quirk', comps ? compNames.join(', ') : 'property not reported (any component accepted?)'));
  const limits: [string, string, 'max-resource-size' | 'date-limits' | 'max-instances' | 'max-attendees'][] = [
    ['max-resource-size', C('max-resource-size'), 'max-resource-size'],
    ['min-date-time', C('min-date-time'), 'date-limits'],
    ['max-instances', C('max-instances'), 'max-instances'],
    ['max-attendees-per-instance', C('max-attendees-per-instance'), 'max-attendees'],
  ];
  const features: ProbeResult['features'] = {};
  const seen: string[] = [];
  for (const [label, name, feature] of limits) {
    const p = prop(m, name);
    features[feature] = Boolean(p);
    if (p) seen.push(`${label}=${deepText(p).trim()}`);
  }
  out.push(result('calendar-limits', 'CALDAV max-resource-size / date limits / max-instances / max-attendees', seen.length ? 'full' : 'unsupported', seen.length ? seen.join(', ') : 'none of the limit properties is reported', { features }));
  return out;
}

// ---------------------------------------------------------------- objects

export async function probePutGet(ctx: ProbeContext): Promise<ProbeResult> {
  const quirks: ProfileQuirk[] = [];
  const notes: string[] = [];
  const body = vevent(`calspec-${ctx.runId}-a`, '20300115T100000Z', '20300115T110000Z');
  const created = await put(ctx, 'a.ics', body, { 'if-none-match': '*' });
  if (!ok(created)) {
    const r = refusalGrade(created);
    return result('put-get', 'PUT + GET, ETags', r.grade === 'unsupported' ? 'broken' : r.grade, `PUT of a plain VEVENT ${r.observed}`);
  }
  let grade: FeatureGrade = 'full';
  if (status(created) !== 201) {
    grade = 'quirk';
    notes.push(`create answered ${status(created)}`);
    quirks.push(quirk('put-create-not-201', `PUT that creates a resource answers ${status(created)} instead of 201.`));
  }
  const get = await send(ctx, 'GET', obj(ctx, 'a.ics'));
  if (!ok(get) || !/BEGIN:VCALENDAR/.test(get.response!.body)) return result('put-get', 'PUT + GET, ETags', 'broken', `GET after PUT answered ${describe(get)}`);
  const etag = get.response!.headers.etag;
  const putEtag = created.response!.headers.etag;
  if (!etag) {
    return result('put-get', 'PUT + GET, ETags', 'broken', 'GET returns no ETag', { quirks: [quirk('no-etag', 'GET of a calendar object returns no ETag.')] });
  }
  if (etag.startsWith('W/')) {
    grade = 'broken';
    notes.push('weak ETag');
    quirks.push(quirk('weak-etag', 'Calendar objects carry weak ETags (RFC 4791 §5.3.4 wants strong ones).'));
  } else notes.push('strong ETag');
  if (!putEtag) notes.push('PUT returns no ETag');
  else if (putEtag !== etag) notes.push('PUT ETag differs from GET ETag (data was rewritten)');
  // Update: the ETag must change; quick successive updates too.
  let prev = etag;
  let changes = 0;
  let unchanged = 0;
  let updateStatus: number | undefined;
  for (let i = 0; i < 3; i++) {
    const upd = await put(ctx, 'a.ics', vevent(`calspec-${ctx.runId}-a`, '20300115T100000Z', '20300115T110000Z', `DESCRIPTION:update ${i}`));
    updateStatus ??= status(upd);
    const again = await send(ctx, 'GET', obj(ctx, 'a.ics'));
    const now = again.response?.headers.etag;
    if (now && now !== prev) changes++;
    else unchanged++;
    prev = now ?? prev;
  }
  if (updateStatus === 201) {
    if (grade === 'full') grade = 'quirk';
    notes.push('update answered 201');
    quirks.push(quirk('put-update-201', 'PUT that replaces an existing resource answers 201 Created instead of 200/204.'));
  }
  if (changes === 0) {
    grade = 'broken';
    notes.push('ETag does not change on update');
  } else if (unchanged > 0) {
    grade = 'fragile';
    notes.push(`ETag unchanged after ${unchanged} of 3 quick successive updates`);
    quirks.push(quirk('etag-fragile', 'The ETag does not always change on quick successive updates (coarse timestamps?).'));
  } else notes.push('changes on every update');
  return result('put-get', 'PUT + GET, ETags', grade, notes.join('; '), { quirks });
}

export async function probeComponent(ctx: ProbeContext, component: 'VTODO' | 'VJOURNAL'): Promise<ProbeResult> {
  const feature = component === 'VTODO' ? 'vtodo' : 'vjournal';
  const body = component === 'VTODO'
    ? vcal('VTODO', `calspec-${ctx.runId}-todo`, ['SUMMARY:calspec discover task', 'DUE:20300120T100000Z'])
    : vcal('VJOURNAL', `calspec-${ctx.runId}-journal`, ['SUMMARY:calspec discover note', 'DTSTART;VALUE=DATE:20300120']);
  const ex = await put(ctx, `${feature}.ics`, body);
  if (ok(ex)) return result(feature, `${component} objects`, 'full', `PUT of a ${component} answered ${status(ex)}`, { feature });
  const r = refusalGrade(ex);
  return result(feature, `${component} objects`, r.grade === 'broken' ? 'broken' : r.grade, `PUT of a ${component} ${r.observed}`, { feature });
}

export async function probeDelete(ctx: ProbeContext): Promise<ProbeResult> {
  const made = await put(ctx, 'del.ics', vevent(`calspec-${ctx.runId}-del`, '20300101T100000Z', '20300101T110000Z'));
  if (!ok(made)) return result('delete', 'DELETE', 'broken', `could not create the object to delete: ${describe(made)}`);
  const ex = await send(ctx, 'DELETE', obj(ctx, 'del.ics'));
  if (ok(ex)) ctx.sandbox.forget(obj(ctx, 'del.ics'));
  const gone = await send(ctx, 'GET', obj(ctx, 'del.ics'));
  if (!ok(ex) || status(gone) !== 404) return result('delete', 'DELETE', 'broken', `DELETE answered ${describe(ex)}, then GET ${describe(gone)}`);
  const s = status(ex)!;
  return result('delete', 'DELETE', 'full', `answered ${s}${s === 200 ? ' with ' + (ex.response!.body.trim() ? 'a body' : 'an empty body') : ''}`,
    s === 200 ? { quirks: [quirk('delete-200', 'DELETE answers 200 rather than 204.')] } : {});
}

// ---------------------------------------------------------------- reports

const QUERY = (range: string, extra = '') => `<?xml version="1.0" encoding="utf-8"?>
<c:calendar-query ${NSDECL}><d:prop><d:getetag/><c:calendar-data>${extra}</c:calendar-data></d:prop>
<c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT">${range}</c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`;

function hrefsOf(ex: Exchange): string[] {
  return (ms(ex)?.responses ?? []).filter((r) => r.status === null || r.status === 200).map((r) => hrefPath(r.href).split('/').pop() ?? '');
}

export async function probeCalendarQuery(ctx: ProbeContext): Promise<ProbeResult> {
  // a.ics (Jan 15) exists; b.ics is in February.
  await put(ctx, 'b.ics', vevent(`calspec-${ctx.runId}-b`, '20300220T100000Z', '20300220T110000Z'));
  const ex = await send(ctx, 'REPORT', ctx.calendar!, { body: QUERY('<c:time-range start="20300110T000000Z" end="20300120T000000Z"/>'), headers: { ...XML, depth: '1' } });
  if (status(ex) !== 207) {
    const r = refusalGrade(ex);
    return result('calendar-query', 'calendar-query with time-range', r.grade, `REPORT ${r.observed}`, { feature: 'calendar-query' });
  }
  if (!ms(ex)) return result('calendar-query', 'calendar-query with time-range', 'broken', '207 with an unparsable multistatus body', { feature: 'calendar-query' });
  const names = hrefsOf(ex).filter((n) => n.includes('.ics')).map((n) => n.replace(ctx.objectPrefix, ''));
  const hasA = names.includes('a.ics');
  const hasB = names.includes('b.ics');
  if (hasA && !hasB) return result('calendar-query', 'calendar-query with time-range', 'full', 'time-range selects the January event and not the February one', { feature: 'calendar-query' });
  return result('calendar-query', 'calendar-query with time-range', 'broken', `time-range returned ${names.join(', ') || 'nothing'} (expected a.ics only)`, { feature: 'calendar-query' });
}

export async function probeExpand(ctx: ProbeContext): Promise<ProbeResult> {
  const made = await put(ctx, 'r.ics', vevent(`calspec-${ctx.runId}-r`, '20300301T090000Z', '20300301T100000Z', 'RRULE:FREQ=DAILY;COUNT=3'));
  if (!ok(made)) return result('expand', 'calendar-data expand', 'broken', `could not store a recurring event: ${describe(made)}`, { feature: 'expand' });
  const ex = await send(ctx, 'REPORT', ctx.calendar!, {
    body: QUERY('<c:time-range start="20300301T000000Z" end="20300310T000000Z"/>', '<c:expand start="20300301T000000Z" end="20300310T000000Z"/>'),
    headers: { ...XML, depth: '1' },
  });
  const m = ms(ex);
  if (!m) {
    const r = refusalGrade(ex);
    return result('expand', 'calendar-data expand', status(ex) === 207 ? 'broken' : r.grade, status(ex) === 207 ? '207 with an unparsable body' : `REPORT ${r.observed}`, { feature: 'expand' });
  }
  const resp = m.responses.find((r) => hrefPath(r.href).endsWith(`${ctx.objectPrefix}r.ics`));
  const data = resp?.propstats.find((p) => p.status === 200)?.props.find((p) => p.name === C('calendar-data'));
  const text = data ? deepText(data) : '';
  if (!text) return result('expand', 'calendar-data expand', 'broken', 'the recurring event is missing from the expanded query', { feature: 'expand' });
  const instances = (text.match(/BEGIN:VEVENT/g) ?? []).length;
  const rids = (text.match(/RECURRENCE-ID/g) ?? []).length;
  const rrule = /RRULE/.test(text);
  if (instances === 3 && rids === 3 && !rrule) return result('expand', 'calendar-data expand', 'full', '3 instances with RECURRENCE-ID, no RRULE', { feature: 'expand' });
  if (instances === 3 && rids === 2 && !rrule) {
    return result('expand', 'calendar-data expand', 'quirk', '3 instances, no RRULE, but the first instance has no RECURRENCE-ID', {
      feature: 'expand', quirks: [quirk('expand-first-instance-without-recurrence-id', 'Expanded recurrences carry RECURRENCE-ID on every instance but the first.')],
    });
  }
  if (instances === 1 && rrule) return result('expand', 'calendar-data expand', 'unsupported', 'expand ignored: the master with its RRULE comes back', { feature: 'expand' });
  return result('expand', 'calendar-data expand', 'broken', `${instances} VEVENTs, ${rids} RECURRENCE-IDs, RRULE ${rrule ? 'kept' : 'dropped'} (expected 3, 3, dropped)`, { feature: 'expand' });
}

function multigetBody(ctx: ProbeContext, names: string[]): string {
  const hrefs = names.map((n) => `<d:href>${encodeURI(obj(ctx, n))}</d:href>`).join('');
  return `<?xml version="1.0" encoding="utf-8"?>\n<c:calendar-multiget ${NSDECL}><d:prop><d:getetag/><c:calendar-data/></d:prop>${hrefs}</c:calendar-multiget>`;
}

export async function probeMultiget(ctx: ProbeContext): Promise<ProbeResult> {
  const title = 'calendar-multiget';
  const ex = await send(ctx, 'REPORT', ctx.calendar!, { body: multigetBody(ctx, ['a.ics', 'b.ics']), headers: { ...XML, depth: '1' } });
  const m = ms(ex);
  if (!m) {
    const r = refusalGrade(ex);
    return result('calendar-multiget', title, status(ex) === 207 ? 'broken' : r.grade, status(ex) === 207 ? '207 with an unparsable body' : `REPORT ${r.observed}`, { feature: 'calendar-multiget' });
  }
  const by = (mm: typeof m, n: string) => mm.responses.find((r) => hrefPath(r.href).endsWith(`/${ctx.objectPrefix}${n}`));
  const found = ['a.ics', 'b.ics'].filter((n) => by(m, n)?.propstats.some((p) => p.status === 200 && p.props.some((x) => x.name === C('calendar-data') && deepText(x).includes('BEGIN:VCALENDAR'))));
  if (found.length !== 2) return result('calendar-multiget', title, 'broken', `returned calendar-data for ${found.length} of 2 existing hrefs`, { feature: 'calendar-multiget' });
  // One href that does not exist: RFC 4791 §7.9 wants a 404 response for it, the others as usual.
  const withMissing = await send(ctx, 'REPORT', ctx.calendar!, { body: multigetBody(ctx, ['a.ics', 'missing.ics']), headers: { ...XML, depth: '1' } });
  const m2 = ms(withMissing);
  if (!m2) {
    return result('calendar-multiget', title, 'quirk', `both objects returned; with one missing href the whole REPORT answers ${describe(withMissing)}`, {
      feature: 'calendar-multiget', quirks: [quirk('multiget-missing-href-fails-request', `calendar-multiget with one href that does not exist fails as a whole (${describe(withMissing)}) instead of a 404 response for that href.`)],
    });
  }
  const missing = by(m2, 'missing.ics');
  const missingStatus = missing?.status ?? missing?.propstats[0]?.status ?? undefined;
  if (!missing) return result('calendar-multiget', title, 'quirk', 'both objects returned; a missing href is silently omitted (should be 404)', {
    feature: 'calendar-multiget', quirks: [quirk('multiget-omits-missing', 'calendar-multiget leaves out hrefs that do not exist instead of a 404 response.')],
  });
  return result('calendar-multiget', title, missingStatus === 404 ? 'full' : 'quirk', `both objects returned; a missing href answered ${missingStatus ?? 'without a status'}`, { feature: 'calendar-multiget' });
}

export async function probeFreeBusy(ctx: ProbeContext): Promise<ProbeResult> {
  const body = `<?xml version="1.0" encoding="utf-8"?>\n<c:free-busy-query ${NSDECL}><c:time-range start="20300115T000000Z" end="20300116T000000Z"/></c:free-busy-query>`;
  const ex = await send(ctx, 'REPORT', ctx.calendar!, { body, headers: { ...XML, depth: '1' } });
  const s = status(ex);
  const text = ex.response?.body ?? '';
  if (s === 200 && /BEGIN:VFREEBUSY/.test(text)) {
    const busy = /FREEBUSY[^:]*:[^\r\n]*20300115T100000Z/.test(text.replace(/\r?\n[ \t]/g, ''));
    return result('free-busy-query', 'free-busy-query REPORT', busy ? 'full' : 'broken', busy ? 'VFREEBUSY with the busy period of the event' : 'VFREEBUSY without the event\'s busy period', { feature: 'free-busy-query' });
  }
  if (s === 207) return result('free-busy-query', 'free-busy-query REPORT', 'broken', 'answered 207 multistatus instead of 200 text/calendar VFREEBUSY (report not implemented as such)', { feature: 'free-busy-query' });
  if (s === 200) return result('free-busy-query', 'free-busy-query REPORT', 'broken', `200 without a VFREEBUSY (${ex.response!.headers['content-type'] ?? 'no content-type'})`, { feature: 'free-busy-query' });
  const r = refusalGrade(ex);
  return result('free-busy-query', 'free-busy-query REPORT', r.grade, `REPORT ${r.observed}`, { feature: 'free-busy-query' });
}

// ---------------------------------------------------------------- sync-collection and getctag

const SYNC = (token: string) => `<?xml version="1.0" encoding="utf-8"?>
<d:sync-collection ${NSDECL}><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`;

interface SyncAnswer {
  ex: Exchange;
  token?: string;
  changed: string[];
  removed: string[];
}

async function sync(ctx: ProbeContext, token: string): Promise<SyncAnswer> {
  const ex = await send(ctx, 'REPORT', ctx.calendar!, { body: SYNC(token), headers: { ...XML, depth: '0' } });
  const m = ms(ex);
  const changed: string[] = [];
  const removed: string[] = [];
  for (const r of m?.responses ?? []) {
    const name = hrefPath(r.href).split('/').pop() ?? '';
    if (r.status === 404) removed.push(name);
    else changed.push(name);
  }
  return { ex, ...(m?.syncToken ? { token: m.syncToken } : {}), changed, removed };
}

async function ctag(ctx: ProbeContext): Promise<string | undefined> {
  const ex = await send(ctx, 'PROPFIND', ctx.calendar!, { body: propfindBody(['cs:getctag']), headers: { ...XML, depth: '0' } });
  const p = prop(ms(ex), CS('getctag'));
  return p ? deepText(p).trim() : undefined;
}

/** Pause that lets second-precision tokens tick, so a "slow" change is judged apart from quick ones. */
const TICK_MS = 1100;

export async function probeSyncAndCtag(ctx: ProbeContext): Promise<ProbeResult[]> {
  const initial = await sync(ctx, '');
  const c0 = await ctag(ctx);
  const syncSupported = status(initial.ex) === 207 && initial.token !== undefined;
  await sleep(TICK_MS, ctx.signal);
  // Slow change: a new member after a pause.
  const s1 = `s1.ics`;
  await put(ctx, s1, vevent(`calspec-${ctx.runId}-s1`, '20300401T100000Z', '20300401T110000Z'));
  const afterSlow = syncSupported ? await sync(ctx, initial.token!) : undefined;
  const c1 = await ctag(ctx);
  // Quick successive changes: write, then sync with the previous token at once, three times.
  let quickMissed = 0;
  let quickTokenSame = 0;
  let quickCtagSame = 0;
  let prevToken = afterSlow?.token;
  let prevCtag = c1;
  for (let i = 0; i < 3; i++) {
    const name = `q${i}.ics`;
    await put(ctx, name, vevent(`calspec-${ctx.runId}-q${i}`, '20300402T100000Z', '20300402T110000Z'));
    if (syncSupported && prevToken) {
      const q = await sync(ctx, prevToken);
      if (!q.changed.some((n) => n.endsWith(name))) quickMissed++;
      if (!q.token || q.token === prevToken) quickTokenSame++;
      prevToken = q.token ?? prevToken;
    }
    const c = await ctag(ctx);
    if (c !== undefined && c === prevCtag) quickCtagSame++;
    prevCtag = c;
  }
  // Deletion must be reported as a 404 member.
  await send(ctx, 'DELETE', obj(ctx, s1));
  ctx.sandbox.forget(obj(ctx, s1));
  const afterDelete = syncSupported && prevToken ? await sync(ctx, prevToken) : undefined;

  const out: ProbeResult[] = [];
  // sync-collection
  if (!syncSupported) {
    if (status(initial.ex) === 207) out.push(result('sync-collection', 'RFC 6578 sync-collection', 'broken', '207 without a DAV:sync-token', { feature: 'sync-collection' }));
    else {
      const r = refusalGrade(initial.ex);
      out.push(result('sync-collection', 'RFC 6578 sync-collection', r.grade, `initial REPORT ${r.observed}`, { feature: 'sync-collection' }));
    }
  } else {
    const slowOk = afterSlow !== undefined && afterSlow.changed.some((n) => n.endsWith(s1)) && afterSlow.token !== undefined && afterSlow.token !== initial.token;
    const deleteOk = afterDelete !== undefined && afterDelete.removed.some((n) => n.endsWith(s1));
    const tokenShape = initial.token!.length > 40 ? `${initial.token!.slice(0, 40)}…` : initial.token!;
    if (!slowOk) {
      const why = afterSlow?.token === initial.token ? 'the token did not change after a write' : `incremental sync ${afterSlow ? `reported ${afterSlow.changed.length} changes and missed the new member` : 'failed'}`;
      out.push(result('sync-collection', 'RFC 6578 sync-collection', 'broken', `${why} (token ${tokenShape})`, { feature: 'sync-collection' }));
    } else if (quickMissed > 0 || quickTokenSame > 0) {
      out.push(result('sync-collection', 'RFC 6578 sync-collection', 'fragile', `works after a pause, but on quick successive writes ${quickMissed} of 3 changes were missed and the token stayed the same ${quickTokenSame} times (token ${tokenShape})`, {
        feature: 'sync-collection', quirks: [quirk('sync-token-fragile', 'sync-collection tokens do not change on quick successive writes (coarse, e.g. second-precision, tokens): clients can miss changes.')],
      }));
    } else if (!deleteOk) {
      out.push(result('sync-collection', 'RFC 6578 sync-collection', 'broken', `changes reported, but a deleted member is not reported as 404 (token ${tokenShape})`, { feature: 'sync-collection' }));
    } else {
      out.push(result('sync-collection', 'RFC 6578 sync-collection', 'full', `initial + incremental sync, deletions as 404, token changes on every write incl. 3 quick ones (token ${tokenShape})`, { feature: 'sync-collection' }));
    }
  }
  // getctag
  if (c0 === undefined) out.push(result('getctag', 'CS:getctag', 'unsupported', 'CS:getctag is not reported on the calendar', { feature: 'getctag' }));
  else if (c1 === c0) out.push(result('getctag', 'CS:getctag', 'broken', 'CS:getctag does not change after a write', { feature: 'getctag' }));
  else if (quickCtagSame > 0) {
    out.push(result('getctag', 'CS:getctag', 'fragile', `changes after a pause, but stayed the same on ${quickCtagSame} of 3 quick successive writes`, {
      feature: 'getctag', quirks: [quirk('ctag-fragile', 'CS:getctag does not change on quick successive writes.')],
    }));
  } else out.push(result('getctag', 'CS:getctag', 'full', 'changes on every write, quick ones included', { feature: 'getctag' }));
  return out;
}

// ---------------------------------------------------------------- PROPPATCH, COPY/MOVE, LOCK

const PROPPATCH = (props: string) => `<?xml version="1.0" encoding="utf-8"?>
<d:propertyupdate ${NSDECL} xmlns:x="urn:calspec:discover"><d:set><d:prop>${props}</d:prop></d:set></d:propertyupdate>`;

export async function probeProppatch(ctx: ProbeContext): Promise<ProbeResult[]> {
  const out: ProbeResult[] = [];
  const read = async () => {
    const ex = await send(ctx, 'PROPFIND', ctx.calendar!, { body: `<?xml version="1.0" encoding="utf-8"?>\n<d:propfind ${NSDECL} xmlns:x="urn:calspec:discover"><d:prop><d:displayname/><x:dead/></d:prop></d:propfind>`, headers: { ...XML, depth: '0' } });
    return ms(ex);
  };
  // A live property and a dead one, separately (PROPPATCH is atomic: one refusal fails both).
  for (const [feature, title, body, check] of [
    ['proppatch', 'PROPPATCH (DAV:displayname)', '<d:displayname>calspec renamed</d:displayname>', D('displayname')],
    ['dead-properties', 'dead properties', '<x:dead>kept</x:dead>', '{urn:calspec:discover}dead'],
  ] as const) {
    const ex = await send(ctx, 'PROPPATCH', ctx.calendar!, { body: PROPPATCH(body), headers: XML });
    const m = ms(ex);
    if (!m) {
      const r = refusalGrade(ex);
      out.push(result(feature, title, status(ex) === 207 ? 'broken' : r.grade, status(ex) === 207 ? '207 with an unparsable body' : `PROPPATCH ${r.observed}`, { feature }));
      continue;
    }
    const st = m.responses[0]?.propstats.find((p) => p.props.some((x) => x.name === check))?.status ?? null;
    const value = prop(await read(), check);
    const expected = feature === 'proppatch' ? 'calspec renamed' : 'kept';
    const readsBack = value !== undefined && deepText(value).trim() === expected;
    const what = feature === 'proppatch' ? 'DAV:displayname' : 'a property in a foreign namespace';
    if (st === 200 && readsBack) out.push(result(feature, title, 'full', `${what}: 200, reads back`, { feature }));
    else if (st === 200) out.push(result(feature, title, 'broken', `${what}: 200, but does not read back`, { feature }));
    else out.push(result(feature, title, st !== null && st >= 500 ? 'ungraceful' : 'unsupported', `${what}: refused with ${st ?? 'no status'} in a 207`, { feature }));
  }
  return out;
}

export async function probeCopyMove(ctx: ProbeContext): Promise<ProbeResult> {
  const base = new URL(ctx.baseUrl);
  const dest = (n: string) => new URL(encodeURI(obj(ctx, n)), base).toString();
  const copy = await send(ctx, 'COPY', obj(ctx, 'a.ics'), { headers: { destination: dest('copy.ics'), overwrite: 'F' } });
  // A copy keeps the UID, which a calendar may refuse (no-uid-conflict): that is a clean, correct answer.
  const copyOk = ok(copy);
  if (copyOk && !ctx.ownCalendar) ctx.sandbox.track(obj(ctx, 'copy.ics'), ctx.auth, 'discover');
  const uidConflict = (status(copy) ?? 0) >= 400 && (status(copy) ?? 0) < 500 && /no-uid-conflict/.test(copy.response?.body ?? '');
  const move = await send(ctx, 'MOVE', obj(ctx, 'b.ics'), { headers: { destination: dest('moved.ics'), overwrite: 'F' } });
  const moveOk = ok(move);
  if (moveOk && !ctx.ownCalendar) {
    ctx.sandbox.forget(obj(ctx, 'b.ics'));
    ctx.sandbox.track(obj(ctx, 'moved.ics'), ctx.auth, 'discover');
  }
  const src = moveOk ? await send(ctx, 'GET', obj(ctx, 'b.ics')) : undefined;
  const dst = moveOk ? await send(ctx, 'GET', obj(ctx, 'moved.ics')) : undefined;
  const copyText = copyOk ? `COPY ${status(copy)}` : uidConflict ? `COPY refused as a UID conflict (${describe(copy)})` : `COPY ${describe(copy)}`;
  const moveText = moveOk ? `MOVE ${status(move)}` : `MOVE ${describe(move)}`;
  if (moveOk && (status(src!) !== 404 || !ok(dst!))) return result('copy-move', 'COPY / MOVE', 'broken', `${copyText}; ${moveText} but source GET ${describe(src!)}, destination GET ${describe(dst!)}`, { feature: 'copy-move' });
  if ((copyOk || uidConflict) && moveOk) return result('copy-move', 'COPY / MOVE', 'full', `${copyText}; ${moveText}`, { feature: 'copy-move' });
  if (moveOk) {
    const r = refusalGrade(copy);
    return result('copy-move', 'COPY / MOVE', 'quirk', `${moveText}; COPY ${r.observed}`, {
      feature: 'copy-move', quirks: [quirk('no-copy', `COPY of calendar objects is refused (${describe(copy)}); MOVE works.`)],
    });
  }
  if (copyOk) return result('copy-move', 'COPY / MOVE', 'quirk', `${copyText}; MOVE ${refusalGrade(move).observed}`, { feature: 'copy-move', quirks: [quirk('no-move', `MOVE is refused (${describe(move)}); COPY works.`)] });
  const r = refusalGrade(move);
  const rc = refusalGrade(copy);
  const grade = r.grade === 'ungraceful' || rc.grade === 'ungraceful' ? 'ungraceful' : 'unsupported';
  return result('copy-move', 'COPY / MOVE', grade, `COPY ${rc.observed}; MOVE ${r.observed}`, { feature: 'copy-move' });
}

export async function probeLock(ctx: ProbeContext): Promise<ProbeResult> {
  const class2 = ctx.davClasses.includes('2');
  const body = `<?xml version="1.0" encoding="utf-8"?>\n<d:lockinfo xmlns:d="DAV:"><d:lockscope><d:exclusive/></d:lockscope><d:locktype><d:write/></d:locktype><d:owner>calspec discover</d:owner></d:lockinfo>`;
  const path = obj(ctx, 'a.ics');
  const lock = await send(ctx, 'LOCK', path, { body, headers: { ...XML, timeout: 'Second-60', depth: '0' } });
  if (!ok(lock)) {
    const r = refusalGrade(lock);
    // Advertising class 2 without LOCK is a false claim, but the feature is still absent.
    return result('lock', 'LOCK / UNLOCK', r.grade, `LOCK ${r.observed}${class2 ? ' although DAV class 2 is advertised' : ' (no DAV class 2)'}`, {
      feature: 'lock', ...(class2 ? { quirks: [quirk('dav-class-2-without-lock', `The DAV header advertises class 2, but LOCK is refused (${describe(lock)}).`)] } : {}),
    });
  }
  const token = lock.response!.headers['lock-token'] ?? (/<(?:\w+:)?href>\s*(opaquelocktoken:[^<\s]+|urn:uuid:[^<\s]+)/.exec(lock.response!.body)?.[1]);
  const bare = token?.replace(/^<|>$/g, '');
  const blocked = await send(ctx, 'PUT', path, { body: vevent(`calspec-${ctx.runId}-a`, '20300115T100000Z', '20300115T110000Z', 'DESCRIPTION:without lock token'), headers: ICAL });
  const unlock = bare ? await send(ctx, 'UNLOCK', path, { headers: { 'lock-token': `<${bare}>` } }) : undefined;
  const notes = [`LOCK ${status(lock)}${bare ? '' : ' without a lock token'}`, `PUT without the token ${status(blocked)}`, `UNLOCK ${unlock ? describe(unlock) : 'not tried'}`];
  if (!class2) notes.push('DAV class 2 not advertised');
  const lockedInside = status(blocked) === 207 && /HTTP\/1\.[01] 423/.test(blocked.response?.body ?? '');
  if (lockedInside) {
    return result('lock', 'LOCK / UNLOCK', 'quirk', `${notes.join('; ')} — enforced, but as a 207 multistatus holding 423`, {
      feature: 'lock', quirks: [quirk('locked-put-207', 'A write to a locked resource is refused with a 207 multistatus holding 423 instead of a plain 423.')],
    });
  }
  if (status(blocked) !== 423) return result('lock', 'LOCK / UNLOCK', 'broken', `${notes.join('; ')} — the lock is not enforced`, { feature: 'lock' });
  if (!bare || !unlock || !ok(unlock)) return result('lock', 'LOCK / UNLOCK', 'broken', notes.join('; '), { feature: 'lock' });
  return result('lock', 'LOCK / UNLOCK', class2 ? 'full' : 'quirk', notes.join('; '), { feature: 'lock' });
}

// ---------------------------------------------------------------- ACL and scheduling

export async function probeAcl(ctx: ProbeContext): Promise<ProbeResult[]> {
  const ex = await send(ctx, 'PROPFIND', ctx.calendar!, { body: propfindBody(['d:current-user-privilege-set', 'd:acl', 'd:owner', 'd:supported-privilege-set']), headers: { ...XML, depth: '0' } });
  const m = ms(ex);
  const cups = prop(m, D('current-user-privilege-set'));
  const privileges = cups ? cups.children.map((p) => localNames(p).join('/')).filter(Boolean) : [];
  const acl = prop(m, D('acl'));
  const aces = acl ? acl.children.length : 0;
  const accessControl = ctx.davClasses.includes('access-control');
  const out: ProbeResult[] = [
    result('current-user-privilege-set', 'DAV:current-user-privilege-set', cups ? 'full' : 'unsupported', cups ? privileges.join(', ') || '(empty)' : 'not reported', { feature: 'current-user-privilege-set' }),
  ];
  if (accessControl && acl) out.push(result('acl', 'RFC 3744 ACL', 'full', `access-control advertised; DAV:acl readable (${aces} ACEs); owner ${hrefOf(prop(m, D('owner'))) ?? '(none)'}`, { feature: 'acl' }));
  else if (accessControl) out.push(result('acl', 'RFC 3744 ACL', 'quirk', 'access-control advertised, but DAV:acl is not readable by the owner', { feature: 'acl' }));
  else out.push(result('acl', 'RFC 3744 ACL', 'unsupported', `no access-control DAV class${acl ? ' (yet DAV:acl is reported)' : ''}`, { feature: 'acl' }));
  return out;
}

export async function probeScheduling(ctx: ProbeContext): Promise<ProbeResult[]> {
  const ex = await send(ctx, 'PROPFIND', ctx.principal, { body: propfindBody(['c:schedule-inbox-URL', 'c:schedule-outbox-URL', 'c:calendar-user-address-set', 'c:calendar-user-type']), headers: { ...XML, depth: '0' } });
  const m = ms(ex);
  const inbox = hrefOf(prop(m, C('schedule-inbox-URL')));
  const outbox = hrefOf(prop(m, C('schedule-outbox-URL')));
  const addresses = prop(m, C('calendar-user-address-set'))?.children.map((c) => deepText(c).trim()) ?? [];
  const auto = ctx.davClasses.includes('calendar-auto-schedule');
  const parts = [`calendar-auto-schedule ${auto ? 'advertised' : 'not advertised'}`, `inbox ${inbox ?? 'none'}`, `outbox ${outbox ?? 'none'}`, `addresses ${addresses.join(' ') || 'none'}`];
  const out: ProbeResult[] = [];
  if (!auto && ctx.davClasses.includes('calendar-auto-scheduling')) parts.push("advertises the non-standard token 'calendar-auto-scheduling'");
  const full = auto && inbox && outbox;
  // Without calendar-auto-schedule there is no implicit scheduling, whatever collections exist.
  const grade: FeatureGrade = full ? 'full' : auto ? 'broken' : 'unsupported';
  out.push(result('scheduling', 'RFC 6638 scheduling', grade, parts.join('; '), { feature: 'scheduling' }));
  // Schedule-Tag on an attendee's copy (no other attendee of ours: nothing is delivered locally).
  if (full) {
    const me = addresses.find((a) => /^mailto:/i.test(a)) ?? `mailto:${ctx.user}@example.invalid`;
    const body = vevent(`calspec-${ctx.runId}-sched`, '20300501T100000Z', '20300501T110000Z',
      `ORGANIZER:mailto:organizer@example.invalid\nATTENDEE;PARTSTAT=NEEDS-ACTION:${me}`);
    const made = await put(ctx, 'sched.ics', body);
    const get = ok(made) ? await send(ctx, 'GET', obj(ctx, 'sched.ics')) : undefined;
    const tag = made.response?.headers['schedule-tag'] ?? get?.response?.headers['schedule-tag'];
    if (!ok(made)) out.push(result('schedule-tag', 'RFC 6638 Schedule-Tag', 'broken', `PUT of an attendee's copy ${describe(made)}`, { feature: 'schedule-tag' }));
    else out.push(result('schedule-tag', 'RFC 6638 Schedule-Tag', tag ? 'full' : 'unsupported', tag ? `Schedule-Tag ${tag} on a scheduling object` : 'no Schedule-Tag on a scheduling object resource', { feature: 'schedule-tag' }));
  } else {
    out.push(result('schedule-tag', 'RFC 6638 Schedule-Tag', 'unsupported', 'no implicit scheduling', { feature: 'schedule-tag' }));
  }
  return out;
}
