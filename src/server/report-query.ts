// CALDAV:calendar-query (RFC 4791 §7.8). Default Depth for REPORT is 0 (RFC 3253 §3.6), which on a
// calendar collection selects no calendar object; clients ask for Depth: 1.
import type ICAL from 'ical.js';
import type { XmlElement } from '../xml/index.js';
import { canRead } from './acl.js';
import { CAL, davError, depthOf, multistatus, textReply, type Ctx, type Reply } from './context.js';
import { checkFilter, matchesFilter } from './filter.js';
import { propResponse, readPropRequest } from './props.js';
import { checkCalendarDataRequest, checkFilterSemantics, checkTimezoneElement } from './query-checks.js';
import { parsedCalendar } from './parsed.js';
import type { Resource } from './store.js';
import { timezoneFromText } from './timerange.js';
import { checkQueryTimezoneId, queryTimezoneText } from './tzref-props.js';

export function floatingZone(ctx: Ctx, calendar: Resource | undefined, query?: XmlElement): ICAL.Timezone | undefined {
  const fromQuery = query?.children.find((c) => c.name === CAL('timezone'))?.text ?? queryTimezoneText(query);
  return timezoneFromText(fromQuery ?? calendar?.props.get(CAL('calendar-timezone'))?.text);
}

export function handleQuery(ctx: Ctx, target: Resource, root: XmlElement): Reply {
  const { store } = ctx.state;
  const depth = depthOf(ctx, '0');
  if (depth === 'invalid') return textReply(400, 'Invalid Depth header');
  const filter = root.children.find((c) => c.name === CAL('filter'));
  if (!filter) return davError(ctx, 403, CAL('valid-filter'));
  const bad = checkFilter(filter);
  if (bad) return davError(ctx, 403, CAL(bad));
  const refused =
    checkFilterSemantics(ctx, filter) ??
    checkTimezoneElement(ctx, root) ??
    checkQueryTimezoneId(ctx, root) ??
    checkCalendarDataRequest(ctx, root);
  if (refused) return refused;
  const req = readPropRequest(root) ?? { kind: 'allprop', include: [] };
  const calendar = target.kind === 'calendar' ? target : store.parentOf(target);
  const floating = floatingZone(ctx, calendar, root);
  let candidates: Resource[];
  if (target.kind === 'object') candidates = [target];
  else candidates = depth === '0' ? [] : store.members(target).filter((m) => m.kind === 'object');
  const responses: XmlElement[] = [];
  for (const r of candidates) {
    if (!canRead(ctx.state, ctx.user, r.path)) continue;
    const comp = parsedCalendar(r);
    if (comp && matchesFilter(comp, filter, { floating, faults: ctx.state.faults }))
      responses.push(propResponse(ctx, r, req));
  }
  return multistatus(responses);
}
