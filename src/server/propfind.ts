// PROPFIND (RFC 4918 §9.1). Depth infinity is refused with DAV:propfind-finite-depth (§9.1.1):
// it is optional, and a CalDAV tree can be large.
import { parseXml, type XmlElement } from '../xml/index.js';
import { canRead, needPrivileges } from './acl.js';
import { DAV, davError, depthOf, multistatus, textReply, type Ctx, type Reply } from './context.js';
import { propResponse, readPropRequest, type PropRequest } from './props.js';

export function handlePropfind(ctx: Ctx): Reply {
  const { store, faults } = ctx.state;
  // RFC 4918 §9.1: a missing Depth header means infinity.
  const depth = depthOf(ctx, 'infinity');
  if (depth === 'invalid') return textReply(400, 'Invalid Depth header');
  if (depth === 'infinity') return davError(ctx, 403, DAV('propfind-finite-depth'));
  let req: PropRequest = { kind: 'allprop', include: [] };
  if (ctx.body.trim()) {
    const root = parseXml(ctx.body);
    if (root.name !== DAV('propfind')) return textReply(400, 'Expected a DAV:propfind body');
    req = readPropRequest(root) ?? req;
  }
  const r = store.get(ctx.path);
  if (!r) return textReply(404, 'Not Found');
  if (!canRead(ctx.state, ctx.user, r.path)) return needPrivileges(ctx, 'read');
  const list = [r];
  // Fault hook: Depth: 0 treated like Depth: 1.
  if (depth === '1' || faults.has('depth-ignored')) {
    list.push(...store.members(r).filter((m) => canRead(ctx.state, ctx.user, m.path)));
  }
  const responses = list.map((x) => propResponse(ctx, x, req));
  // Fault hook: propstat elements lose their DAV:status (RFC 4918 §14.22 requires one in each).
  if (faults.has('propstat-no-status')) for (const r of responses) dropPropstatStatus(r);
  return multistatus(responses);
}

function dropPropstatStatus(response: XmlElement): void {
  for (const ps of response.children.filter((c) => c.name === DAV('propstat')))
    ps.children = ps.children.filter((c) => c.name !== DAV('status'));
}
