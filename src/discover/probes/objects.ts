// Calendar object probes: PUT and GET with ETags (also on quick successive updates), VTODO,
// VJOURNAL and VFREEBUSY objects, and DELETE.
import type { ProfileQuirk } from '../../model/profile.js';
import {
  describe,
  ICAL,
  NSDECL,
  ok,
  refusalGrade,
  send,
  status,
  vcal,
  vevent,
  XML,
  type ProbeContext,
} from '../context.js';
import type { FeatureGrade, ProbeResult } from '../types.js';
import { eventA, obj, put, quirk, result } from './shared.js';

export async function probePutGet(ctx: ProbeContext): Promise<ProbeResult> {
  const quirks: ProfileQuirk[] = [];
  const notes: string[] = [];
  const created = await put(ctx, 'a.ics', eventA(ctx), { 'if-none-match': '*' });
  if (!ok(created)) {
    const r = refusalGrade(created);
    return result(
      'put-get',
      'PUT + GET, ETags',
      r.grade === 'unsupported' ? 'broken' : r.grade,
      `PUT of a plain VEVENT ${r.observed}`,
    );
  }
  let grade: FeatureGrade = 'full';
  if (status(created) !== 201) {
    grade = 'quirk';
    notes.push(`create answered ${status(created)}`);
    quirks.push(quirk('put-create-not-201', `PUT that creates a resource answers ${status(created)} instead of 201.`));
  }
  const get = await send(ctx, 'GET', obj(ctx, 'a.ics'));
  if (!ok(get) || !/BEGIN:VCALENDAR/.test(get.response!.body))
    return result('put-get', 'PUT + GET, ETags', 'broken', `GET after PUT answered ${describe(get)}`);
  const etag = get.response!.headers.etag;
  const putEtag = created.response!.headers.etag;
  if (!etag) {
    return result('put-get', 'PUT + GET, ETags', 'broken', 'GET returns no ETag', {
      quirks: [quirk('no-etag', 'GET of a calendar object returns no ETag.')],
    });
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
    const upd = await put(
      ctx,
      'a.ics',
      vevent(`calspec-${ctx.runId}-a`, '20300115T100000Z', '20300115T110000Z', `DESCRIPTION:update ${i}`),
    );
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
    quirks.push(
      quirk('put-update-201', 'PUT that replaces an existing resource answers 201 Created instead of 200/204.'),
    );
  }
  if (changes === 0) {
    grade = 'broken';
    notes.push('ETag does not change on update');
  } else if (unchanged > 0) {
    grade = 'fragile';
    notes.push(`ETag unchanged after ${unchanged} of 3 quick successive updates`);
    quirks.push(
      quirk('etag-fragile', 'The ETag does not always change on quick successive updates (coarse timestamps?).'),
    );
  } else notes.push('changes on every update');
  return result('put-get', 'PUT + GET, ETags', grade, notes.join('; '), { quirks });
}

export async function probeComponent(ctx: ProbeContext, component: 'VTODO' | 'VJOURNAL'): Promise<ProbeResult> {
  const feature = component === 'VTODO' ? 'vtodo' : 'vjournal';
  const body =
    component === 'VTODO'
      ? vcal('VTODO', `calspec-${ctx.runId}-todo`, ['SUMMARY:calspec discover task', 'DUE:20300120T100000Z'])
      : vcal('VJOURNAL', `calspec-${ctx.runId}-journal`, [
          'SUMMARY:calspec discover note',
          'DTSTART;VALUE=DATE:20300120',
        ]);
  const ex = await put(ctx, `${feature}.ics`, body);
  if (ok(ex))
    return result(feature, `${component} objects`, 'full', `PUT of a ${component} answered ${status(ex)}`, { feature });
  const r = refusalGrade(ex);
  return result(
    feature,
    `${component} objects`,
    r.grade === 'broken' ? 'broken' : r.grade,
    `PUT of a ${component} ${r.observed}`,
    { feature },
  );
}

export async function probeDelete(ctx: ProbeContext): Promise<ProbeResult> {
  const made = await put(ctx, 'del.ics', vevent(`calspec-${ctx.runId}-del`, '20300101T100000Z', '20300101T110000Z'));
  if (!ok(made))
    return result('delete', 'DELETE', 'broken', `could not create the object to delete: ${describe(made)}`);
  const ex = await send(ctx, 'DELETE', obj(ctx, 'del.ics'));
  if (ok(ex)) ctx.sandbox.forget(obj(ctx, 'del.ics'));
  const gone = await send(ctx, 'GET', obj(ctx, 'del.ics'));
  if (!ok(ex) || status(gone) !== 404)
    return result('delete', 'DELETE', 'broken', `DELETE answered ${describe(ex)}, then GET ${describe(gone)}`);
  const s = status(ex)!;
  return result(
    'delete',
    'DELETE',
    'full',
    `answered ${s}${s === 200 ? ' with ' + (ex.response!.body.trim() ? 'a body' : 'an empty body') : ''}`,
    s === 200 ? { quirks: [quirk('delete-200', 'DELETE answers 200 rather than 204.')] } : {},
  );
}

const MKCALENDAR_ALL_COMPONENTS =
  '<?xml version="1.0" encoding="utf-8"?>\n' +
  `<c:mkcalendar ${NSDECL}><d:set><d:prop><d:displayname>calspec discover vfreebusy</d:displayname>` +
  '<c:supported-calendar-component-set><c:comp name="VEVENT"/><c:comp name="VTODO"/><c:comp name="VJOURNAL"/>' +
  '<c:comp name="VFREEBUSY"/></c:supported-calendar-component-set></d:prop></d:set></c:mkcalendar>';

/**
 * Storing a VFREEBUSY object. A calendar may restrict its component types (RFC 4791 §5.2.3), so,
 * like the scenarios that store one, this first asks for a calendar whose component set names
 * VFREEBUSY (at `path`, when given); if that is refused it tries the scratch calendar.
 */
export async function probeVfreebusy(ctx: ProbeContext, path?: string): Promise<ProbeResult> {
  const notes: string[] = [];
  let target = `${ctx.calendar}${ctx.objectPrefix}vfreebusy.ics`;
  if (path) {
    const mk = await send(ctx, 'MKCALENDAR', path, { body: MKCALENDAR_ALL_COMPONENTS, headers: XML });
    if (ok(mk)) {
      ctx.sandbox.track(path, ctx.auth, 'discover');
      target = `${path}vfreebusy.ics`;
    } else notes.push(`MKCALENDAR naming VFREEBUSY in its component set ${describe(mk)}`);
  }
  const body = vcal('VFREEBUSY', `calspec-${ctx.runId}-vfb`, [
    'DTSTART:20300110T000000Z',
    'DTEND:20300111T000000Z',
    'FREEBUSY:20300110T100000Z/20300110T110000Z',
  ]);
  const ex = await send(ctx, 'PUT', target, { body, headers: ICAL });
  const where = target.startsWith(path ?? '\0') ? 'a calendar whose component set names it' : 'the scratch calendar';
  const suffix = notes.length ? `; ${notes.join('; ')}` : '';
  if (ok(ex)) {
    if (!ctx.ownCalendar && !target.startsWith(path ?? '\0')) ctx.sandbox.track(target, ctx.auth, 'discover');
    return result('vfreebusy', 'VFREEBUSY objects', 'full', `PUT of a VFREEBUSY into ${where} answered ${status(ex)}`, {
      feature: 'vfreebusy',
    });
  }
  const r = refusalGrade(ex);
  return result('vfreebusy', 'VFREEBUSY objects', r.grade, `PUT of a VFREEBUSY into ${where} ${r.observed}${suffix}`, {
    feature: 'vfreebusy',
  });
}
