// Live property values (RFC 4918 §15, RFC 4791 §5.2/§6.2, RFC 5397, RFC 6578 §4, RFC 3744 §5) and
// the per-property propstat split shared by PROPFIND and every REPORT.
import { el, type XmlElement } from '../xml/index.js';
import { renderCalendarData } from './caldata.js';
import { CAL, componentSet, CS, DAV, hrefEl, propstatEl, type Ctx } from './context.js';
import { MAX_DATE_TIME, MAX_RESOURCE_SIZE, MIN_DATE_TIME } from './limits.js';
import { EXTRA_LIVE, EXTRA_PROTECTED, extraProp } from './props-extra.js';
import { isCollection, type Resource } from './store.js';
import { syncTokenOf } from './sync-token.js';
import { TZREF_LIVE, TZREF_PROTECTED } from './tzref-props.js';
import { servedBody } from './tzref.js';
import { isCalendarMediaType } from './validate-ical.js';

/**
 * RFC 4791 §5.2.2: every calendar should define calendar-timezone. Until a client sets one, it is UTC —
 * the zone the server already uses for floating times when none is set.
 */
const DEFAULT_CALENDAR_TIMEZONE = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//calspec//reference server//EN',
  'BEGIN:VTIMEZONE',
  'TZID:UTC',
  'BEGIN:STANDARD',
  'DTSTART:19700101T000000',
  'TZOFFSETFROM:+0000',
  'TZOFFSETTO:+0000',
  'TZNAME:UTC',
  'END:STANDARD',
  'END:VTIMEZONE',
  'END:VCALENDAR',
  '',
].join('\r\n');

/** Properties that only the server sets (PROPPATCH answers 403 cannot-modify-protected-property). */
export const PROTECTED = new Set([
  DAV('resourcetype'),
  DAV('getetag'),
  DAV('getcontenttype'),
  DAV('getcontentlength'),
  DAV('getlastmodified'),
  DAV('creationdate'),
  DAV('current-user-principal'),
  DAV('principal-URL'),
  DAV('supported-report-set'),
  DAV('sync-token'),
  DAV('current-user-privilege-set'),
  DAV('owner'),
  DAV('lockdiscovery'),
  DAV('supportedlock'),
  DAV('principal-collection-set'),
  DAV('acl'),
  CAL('calendar-home-set'),
  CAL('calendar-user-address-set'),
  CAL('supported-calendar-component-set'),
  CAL('supported-calendar-data'),
  CAL('max-resource-size'),
  CAL('min-date-time'),
  CAL('max-date-time'),
  CAL('supported-collation-set'),
  CAL('calendar-data'),
  CS('getctag'),
  ...EXTRA_PROTECTED,
  ...TZREF_PROTECTED,
]);

/** RFC 4918 §9.1: allprop returns dead properties and the DAV: live ones; CalDAV ones only on request. */
const ALLPROP = [
  DAV('resourcetype'),
  DAV('displayname'),
  DAV('getetag'),
  DAV('getcontenttype'),
  DAV('getcontentlength'),
  DAV('getlastmodified'),
  DAV('creationdate'),
];

const NOT_IN_ALLPROP = new Set([CAL('calendar-description'), CAL('calendar-timezone')]);

const ALL_LIVE = [
  ...ALLPROP,
  DAV('current-user-principal'),
  DAV('principal-URL'),
  DAV('principal-collection-set'),
  CAL('calendar-home-set'),
  CAL('calendar-user-address-set'),
  DAV('supported-report-set'),
  CAL('supported-calendar-component-set'),
  CAL('supported-calendar-data'),
  CAL('max-resource-size'),
  CAL('min-date-time'),
  CAL('max-date-time'),
  CAL('supported-collation-set'),
  CS('getctag'),
  DAV('sync-token'),
  DAV('current-user-privilege-set'),
  DAV('owner'),
  CAL('calendar-timezone'),
  ...EXTRA_LIVE,
  ...TZREF_LIVE,
];

function ownerOf(ctx: Ctx, r: Resource): string | undefined {
  return r.owner ? ctx.state.layout.principal(r.owner) : undefined;
}

/** The user after the current one (wrapping around), for the principal-other-user fault. */
function otherUser(ctx: Ctx): string {
  const names = [...ctx.state.users.keys()];
  const next = names[(names.indexOf(ctx.user) + 1) % names.length];
  return next && next !== ctx.user ? next : `${ctx.user}-other`;
}

function reports(names: string[]): XmlElement {
  names = [...names, DAV('expand-property')];
  return el(
    DAV('supported-report-set'),
    names.map((n) => el(DAV('supported-report'), [el(DAV('report'), [el(n)])])),
  );
}

/** Value of one requested property, or undefined when the resource does not have it (404). */
export function propValue(ctx: Ctx, r: Resource, req: XmlElement): XmlElement | undefined {
  const { layout, faults } = ctx.state;
  const name = req.name;
  const coll = isCollection(r);
  const cal = r.kind === 'calendar';
  const obj = r.kind === 'object';
  const principal = r.kind === 'principal';
  // Fault hook (no-optional-props): RFC 4791 §5.2.5-§5.2.9 limit properties are not defined at all.
  const optionalPropsWithheld = faults.has('no-optional-props');
  const stored = r.props.get(name);
  if (stored) return stored;
  switch (name) {
    case DAV('resourcetype'): {
      const types: XmlElement[] = [];
      if (coll) types.push(el(DAV('collection')));
      if (cal) types.push(el(CAL('calendar')));
      if (principal) types.push(el(DAV('principal')));
      if (r.kind === 'inbox') types.push(el(CAL('schedule-inbox')));
      if (r.kind === 'outbox') types.push(el(CAL('schedule-outbox')));
      return el(name, types);
    }
    case DAV('getetag'):
      // Fault hook: no entity tag anywhere.
      return obj && !faults.has('etag-missing') ? el(name, [r.etag]) : undefined;
    case DAV('getcontenttype'):
      return obj ? el(name, [r.contentType]) : undefined;
    case DAV('getcontentlength'):
      // RFC 4918 §15.4: the length a plain GET returns, which may carry VTIMEZONEs added by RFC 7809.
      return obj
        ? el(name, [String(Buffer.byteLength(isCalendarMediaType(r.contentType) ? servedBody(ctx, r) : r.body))])
        : undefined;
    case DAV('getlastmodified'):
      return el(name, [r.modified.toUTCString()]);
    case DAV('creationdate'):
      return el(name, [r.created.toISOString().replace(/\.\d{3}Z$/, 'Z')]);
    case DAV('current-user-principal'):
      // Fault hook: RFC 5397 discovery impossible.
      if (faults.has('current-user-principal-missing')) return undefined;
      // Fault hook (principal-other-user): the href names the next user's principal instead.
      return el(name, [hrefEl(layout.principal(faults.has('principal-other-user') ? otherUser(ctx) : ctx.user))]);
    case DAV('principal-URL'):
      return principal ? el(name, [hrefEl(r.path)]) : undefined;
    case DAV('principal-collection-set'):
      // RFC 3744 §5.8: defined on every resource of an ACL server, not only on principals.
      return el(name, [hrefEl(layout.principal(ctx.user || r.owner).replace(/[^/]+\/?$/, ''))]);
    case CAL('calendar-home-set'):
      return principal ? el(name, [hrefEl(layout.home(r.owner))]) : undefined;
    case CAL('calendar-user-address-set'):
      return principal ? el(name, [el(DAV('href'), [`mailto:${r.owner}@example.com`]), hrefEl(r.path)]) : undefined;
    case DAV('supported-report-set'):
      if (cal)
        return reports([
          CAL('calendar-query'),
          CAL('calendar-multiget'),
          CAL('free-busy-query'),
          DAV('sync-collection'),
        ]);
      if (r.kind === 'inbox') return reports([CAL('calendar-query'), CAL('calendar-multiget'), DAV('sync-collection')]);
      if (obj) return reports([CAL('calendar-query'), CAL('calendar-multiget')]);
      return reports(coll ? [DAV('sync-collection')] : []);
    case CAL('supported-calendar-component-set'):
      return cal
        ? el(
            name,
            componentSet(ctx, r).map((c) => el(CAL('comp'), [], { name: c })),
          )
        : undefined;
    case CAL('supported-calendar-data'):
      return cal
        ? el(name, [el(CAL('calendar-data'), [], { 'content-type': 'text/calendar', version: '2.0' })])
        : undefined;
    case CAL('max-resource-size'):
      return cal && !optionalPropsWithheld ? el(name, [String(MAX_RESOURCE_SIZE)]) : undefined;
    case CAL('min-date-time'):
      return cal && !optionalPropsWithheld ? el(name, [MIN_DATE_TIME]) : undefined;
    case CAL('max-date-time'):
      return cal && !optionalPropsWithheld ? el(name, [MAX_DATE_TIME]) : undefined;
    case CAL('calendar-timezone'):
      return cal ? el(name, [DEFAULT_CALENDAR_TIMEZONE]) : undefined;
    case CAL('supported-collation-set'):
      return cal
        ? el(
            name,
            ['i;ascii-casemap', 'i;octet'].map((c) => el(CAL('supported-collation'), [c])),
          )
        : undefined;
    case CS('getctag'):
      // Fault hook: the CTag frozen at its creation value.
      return coll ? el(name, [`ctag-${faults.has('ctag-static') ? r.created.getTime() : r.ctagSeq}`]) : undefined;
    case DAV('sync-token'):
      return coll ? el(name, [syncTokenOf(ctx, r)]) : undefined;
    case DAV('owner'): {
      const o = ownerOf(ctx, r);
      return o ? el(name, [hrefEl(o)]) : undefined;
    }
    case CAL('calendar-data'):
      return obj ? renderCalendarData(ctx, r, req) : undefined;
    default:
      return extraProp(ctx, r, name);
  }
}

export type PropRequest =
  { kind: 'prop'; props: XmlElement[] } | { kind: 'allprop'; include: XmlElement[] } | { kind: 'propname' };

/** Parse the children of DAV:propfind (also used for REPORT bodies, which carry the same choices). */
export function readPropRequest(parent: XmlElement): PropRequest | undefined {
  for (const c of parent.children) {
    if (c.name === DAV('prop')) return { kind: 'prop', props: c.children };
    if (c.name === DAV('propname')) return { kind: 'propname' };
    if (c.name === DAV('allprop')) {
      const include = parent.children.find((x) => x.name === DAV('include'));
      return { kind: 'allprop', include: include ? include.children : [] };
    }
  }
  return undefined;
}

/** One DAV:response for a resource: found properties in a 200 propstat, missing ones in a 404 one. */
export function propResponse(ctx: Ctx, r: Resource, req: PropRequest): XmlElement {
  const found: XmlElement[] = [];
  const missing: XmlElement[] = [];
  if (req.kind === 'propname') {
    for (const n of [...ALL_LIVE, ...r.props.keys()]) if (propValue(ctx, r, el(n))) found.push(el(n));
  } else {
    // RFC 4791 §5.2.1/§5.2.2: calendar-description and calendar-timezone SHOULD NOT be in allprop.
    const dead = [...r.props.keys()].filter((k) => !NOT_IN_ALLPROP.has(k));
    const wanted = req.kind === 'prop' ? req.props : [...ALLPROP, ...dead].map((n) => el(n)).concat(req.include);
    const seen = new Set<string>();
    for (const w of wanted) {
      if (seen.has(w.name)) continue;
      seen.add(w.name);
      const v = propValue(ctx, r, w);
      if (v) found.push(v);
      else if (req.kind === 'prop' || req.include.includes(w)) missing.push(el(w.name));
    }
  }
  const propstats: XmlElement[] = [];
  // Fault hook: the classic bug of one propstat for everything, with the unknown properties empty.
  if (ctx.state.faults.has('propstat-merged')) {
    found.push(...missing);
    missing.length = 0;
  }
  if (found.length || !missing.length) propstats.push(propstatEl(found, 200));
  if (missing.length) propstats.push(propstatEl(missing, 404));
  return el(DAV('response'), [hrefEl(r.path), ...propstats]);
}
