// Live properties of the optional features: locking (RFC 4918 §15.8/15.10), access control
// (RFC 3744 §5), scheduling (RFC 6638 §2, §9), instance limits (RFC 4791 §5.2.8-5.2.9) and
// quota (RFC 4331). props.ts asks here for anything it does not know itself.
import { el, type XmlElement } from '../xml/index.js';
import { homeOwner } from './acl.js';
import { aclProperty, aclRestrictions, currentUserPrivilegeSet, supportedPrivilegeSet } from './acl-method.js';
import { CAL, DAV, hrefEl, type Ctx } from './context.js';
import { MAX_ATTENDEES, MAX_INSTANCES, QUOTA_BYTES } from './limits.js';
import { lockDiscovery, supportedLock } from './locks.js';
import { defaultCalendar } from './schedule.js';
import { isCollection, type Resource } from './store.js';
import { tzrefProp } from './tzref-props.js';

export const EXTRA_PROTECTED = [
  DAV('supported-privilege-set'),
  DAV('acl-restrictions'),
  DAV('inherited-acl-set'),
  DAV('quota-used-bytes'),
  DAV('quota-available-bytes'),
  CAL('schedule-inbox-URL'),
  CAL('schedule-outbox-URL'),
  CAL('calendar-user-type'),
  CAL('schedule-tag'),
  CAL('max-instances'),
  CAL('max-attendees-per-instance'),
];

/** Listed by propname (allprop leaves them out: they are not RFC 4918 properties, or costly). */
export const EXTRA_LIVE = [
  DAV('lockdiscovery'),
  DAV('supportedlock'),
  DAV('acl'),
  DAV('acl-restrictions'),
  DAV('supported-privilege-set'),
  DAV('quota-used-bytes'),
  DAV('quota-available-bytes'),
  CAL('schedule-inbox-URL'),
  CAL('schedule-outbox-URL'),
  CAL('calendar-user-type'),
  CAL('schedule-default-calendar-URL'),
  CAL('schedule-tag'),
  CAL('max-instances'),
  CAL('max-attendees-per-instance'),
];

function usedBytes(ctx: Ctx, r: Resource): number {
  let n = r.kind === 'object' ? Buffer.byteLength(r.body) : 0;
  for (const m of ctx.state.store.members(r)) n += usedBytes(ctx, m);
  return n;
}

export function extraProp(ctx: Ctx, r: Resource, name: string): XmlElement | undefined {
  const { layout, store } = ctx.state;
  const principal = r.kind === 'principal';
  switch (name) {
    case DAV('lockdiscovery'):
      return lockDiscovery(ctx.state, r.path);
    case DAV('supportedlock'):
      return supportedLock();
    case DAV('acl'):
      return aclProperty(ctx, r);
    case DAV('acl-restrictions'):
      return aclRestrictions();
    case DAV('supported-privilege-set'):
      return supportedPrivilegeSet();
    case DAV('current-user-privilege-set'):
      return currentUserPrivilegeSet(ctx, r);
    case DAV('quota-used-bytes'):
    case DAV('quota-available-bytes'): {
      const owner = homeOwner(ctx.state, r.path);
      const home = owner ? store.get(layout.home(owner)) : undefined;
      if (!isCollection(r) || !home || r.kind === 'principal') return undefined;
      const used = usedBytes(ctx, home);
      return el(name, [String(name === DAV('quota-used-bytes') ? usedBytes(ctx, r) : Math.max(0, QUOTA_BYTES - used))]);
    }
    case CAL('schedule-inbox-URL'):
      return principal ? el(name, [hrefEl(layout.inbox(r.owner))]) : undefined;
    case CAL('schedule-outbox-URL'):
      return principal ? el(name, [hrefEl(layout.outbox(r.owner))]) : undefined;
    case CAL('calendar-user-type'):
      return principal ? el(name, ['INDIVIDUAL']) : undefined;
    case CAL('schedule-default-calendar-URL'):
      return r.kind === 'inbox' ? el(name, [hrefEl(defaultCalendar(ctx.state, r.owner))]) : undefined;
    case CAL('schedule-tag'):
      return r.scheduleTag ? el(name, [r.scheduleTag]) : undefined;
    // Fault hook (no-optional-props): the optional limit properties are not defined.
    case CAL('max-instances'):
      return r.kind === 'calendar' && !ctx.state.faults.has('no-optional-props')
        ? el(name, [String(MAX_INSTANCES)])
        : undefined;
    case CAL('max-attendees-per-instance'):
      return r.kind === 'calendar' && !ctx.state.faults.has('no-optional-props')
        ? el(name, [String(MAX_ATTENDEES)])
        : undefined;
    default:
      return tzrefProp(ctx, r, name);
  }
}
