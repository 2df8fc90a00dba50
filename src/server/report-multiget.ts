// CALDAV:calendar-multiget (RFC 4791 §7.9): one response per requested href, in request order;
// an href that names nothing gets its own 404 response rather than disappearing.
import { hrefPath, type XmlElement } from '../xml/index.js';
import { canRead } from './acl.js';
import { DAV, multistatus, statusResponse, type Ctx, type Reply } from './context.js';
import { propResponse, readPropRequest } from './props.js';
import { checkCalendarDataRequest } from './query-checks.js';
import { isCollection } from './store.js';

export function handleMultiget(ctx: Ctx, root: XmlElement): Reply {
  const { store, faults } = ctx.state;
  const refused = checkCalendarDataRequest(ctx, root);
  if (refused) return refused;
  const req = readPropRequest(root) ?? { kind: 'allprop', include: [] };
  const responses: XmlElement[] = [];
  for (const h of root.children.filter((c) => c.name === DAV('href'))) {
    const path = hrefPath(h.text.trim());
    const r = store.get(path);
    if (!r || isCollection(r)) {
      // Fault hook: missing members vanish from the answer, so clients cannot tell "gone" from "lost".
      if (!faults.has('multiget-drops-missing')) responses.push(statusResponse(path, 404));
      continue;
    }
    if (!canRead(ctx.state, ctx.user, r.path)) responses.push(statusResponse(path, 403));
    else responses.push(propResponse(ctx, r, req));
  }
  return multistatus(responses);
}
