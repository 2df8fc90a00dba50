// REPORT dispatch (RFC 3253 §3.6): each report is only offered where supported-report-set says so;
// anything else is 403 DAV:supported-report.
import { parseXml } from '../xml/index.js';
import { canRead, hasPrivilege, needPrivileges } from './acl.js';
import { CAL, DAV, davError, textReply, type Ctx, type Reply } from './context.js';
import { handleFreeBusy } from './freebusy.js';
import { handleExpandProperty } from './report-expand.js';
import { handleMultiget } from './report-multiget.js';
import { handleQuery } from './report-query.js';
import { handleSync } from './report-sync.js';
import { isCollection } from './store.js';

export function handleReport(ctx: Ctx): Reply {
  const { store } = ctx.state;
  if (!ctx.body.trim()) return textReply(400, 'REPORT requires a body');
  const root = parseXml(ctx.body);
  const r = store.get(ctx.path);
  if (!r) return textReply(404, 'Not Found');
  // RFC 4791 §7.10: free-busy needs only read-free-busy, and without it the calendar is not disclosed (404).
  if (root.name === CAL('free-busy-query')) {
    if (!hasPrivilege(ctx.state, ctx.user, r.path, CAL('read-free-busy'))) return textReply(404, 'Not Found');
  } else if (!canRead(ctx.state, ctx.user, r.path)) return needPrivileges(ctx, 'read');
  const calendarish = r.kind === 'calendar' || r.kind === 'object' || r.kind === 'inbox';
  switch (root.name) {
    case CAL('calendar-query'):
      return calendarish ? handleQuery(ctx, r, root) : davError(ctx, 403, DAV('supported-report'));
    case CAL('calendar-multiget'):
      return calendarish ? handleMultiget(ctx, root) : davError(ctx, 403, DAV('supported-report'));
    case CAL('free-busy-query'):
      return r.kind === 'calendar' ? handleFreeBusy(ctx, r, root) : davError(ctx, 403, DAV('supported-report'));
    case DAV('expand-property'):
      return handleExpandProperty(ctx, r, root);
    case DAV('sync-collection'):
      return isCollection(r) ? handleSync(ctx, r, root) : davError(ctx, 403, DAV('supported-report'));
    default:
      return davError(ctx, 403, DAV('supported-report'));
  }
}
