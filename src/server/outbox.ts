// POST to a scheduling outbox (RFC 6638 §5): a VFREEBUSY REQUEST is answered with a
// CALDAV:schedule-response holding, per ATTENDEE, a request-status and (for local users) their
// busy time over all their calendars. Other iTIP messages are sent implicitly (§3), not by POST.
import ICAL from 'ical.js';
import { el } from '../xml/index.js';
import { needPrivileges } from './acl.js';
import { CAL, DAV, davError, textReply, xmlReply, type Ctx, type Reply } from './context.js';
import { collectBusy, emptyBusy, renderFreeBusy } from './freebusy.js';
import { addressOf, userOfAddress } from './schedule.js';
import { isCalendarMediaType } from './validate-ical.js';

export function handlePost(ctx: Ctx): Reply {
  const { store, layout } = ctx.state;
  const r = store.get(ctx.path);
  if (!r) return textReply(404, 'Not Found');
  if (r.kind !== 'outbox')
    return textReply(405, 'POST is only supported on scheduling outboxes', { Allow: 'OPTIONS, GET, HEAD, PROPFIND' });
  // RFC 6638 §6.1.1: sending needs CALDAV:schedule-send on the outbox, which only its owner holds.
  if (r.owner !== ctx.user) return needPrivileges(ctx, CAL('schedule-send'));
  if (!isCalendarMediaType(ctx.headers['content-type'])) return davError(ctx, 403, CAL('supported-calendar-data'));
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(ctx.body) as unknown[]);
  } catch {
    return davError(ctx, 403, CAL('valid-calendar-data'));
  }
  const vfb = root.getFirstSubcomponent('vfreebusy');
  if (String(root.getFirstPropertyValue('method') ?? '').toUpperCase() !== 'REQUEST' || !vfb)
    return davError(ctx, 403, CAL('valid-scheduling-message'));
  const organizer = String(vfb.getFirstPropertyValue('organizer') ?? '');
  if (!organizer) return davError(ctx, 403, CAL('originator-specified'));
  if (organizer.toLowerCase() !== addressOf(r.owner).toLowerCase())
    return davError(ctx, 403, CAL('originator-allowed'));
  const recipients = vfb.getAllProperties('attendee').map((a) => String(a.getFirstValue()));
  if (recipients.length === 0) return davError(ctx, 403, CAL('recipient-specified'));
  const dtstart = vfb.getFirstPropertyValue('dtstart');
  const dtend = vfb.getFirstPropertyValue('dtend');
  if (!(dtstart instanceof ICAL.Time) || !(dtend instanceof ICAL.Time) || dtend.compare(dtstart) <= 0)
    return davError(ctx, 403, CAL('valid-calendar-data'));
  const start = dtstart.toUnixTime();
  const end = dtend.toUnixTime();
  const uid = String(vfb.getFirstPropertyValue('uid') ?? '');
  const responses = recipients.map((address) => {
    const user = userOfAddress(ctx.state, address);
    const recipient = el(CAL('recipient'), [el(DAV('href'), [address])]);
    if (!user) return el(CAL('response'), [recipient, el(CAL('request-status'), ['3.7;Invalid calendar user'])]);
    const busy = emptyBusy();
    const home = store.get(layout.home(user));
    for (const cal of home ? store.members(home).filter((m) => m.kind === 'calendar') : [])
      collectBusy(ctx, cal, start, end, busy);
    const data = renderFreeBusy(start, end, busy, {
      calendar: ['METHOD:REPLY'],
      component: [`UID:${uid}`, `ORGANIZER:${organizer}`, `ATTENDEE:${address}`],
    });
    return el(CAL('response'), [
      recipient,
      el(CAL('request-status'), ['2.0;Success']),
      el(CAL('calendar-data'), [data]),
    ]);
  });
  return xmlReply(200, el(CAL('schedule-response'), responses));
}
