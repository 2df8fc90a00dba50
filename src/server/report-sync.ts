// DAV:sync-collection (RFC 6578). Tokens are opaque URIs carrying a store revision; a member is
// reported when its modSeq is newer than the token, a removal when its tombstone is.
import { el, type XmlElement } from '../xml/index.js';
import { canRead } from './acl.js';
import { DAV, davError, depthOf, multistatus, statusResponse, textReply, type Ctx, type Reply } from './context.js';
import { propResponse, readPropRequest, SYNC_TOKEN_PREFIX, syncTokenOf } from './props.js';
import { isCollection, type Resource } from './store.js';

function parseToken(ctx: Ctx, token: string): number | undefined {
  if (!token.startsWith(SYNC_TOKEN_PREFIX)) return undefined;
  const rest = token.slice(SYNC_TOKEN_PREFIX.length);
  if (!/^\d+$/.test(rest)) return undefined;
  const n = Number(rest);
  return n <= ctx.state.store.currentRevision ? n : undefined;
}

export function handleSync(ctx: Ctx, collection: Resource, root: XmlElement): Reply {
  const { store, faults } = ctx.state;
  // RFC 6578 §3.2: only Depth: 0 is defined (and it is the REPORT default); others are 400.
  if (depthOf(ctx, '0') !== '0') return textReply(400, 'sync-collection requires Depth: 0');
  const tokenText = root.children.find((c) => c.name === DAV('sync-token'))?.text.trim() ?? '';
  const level = root.children.find((c) => c.name === DAV('sync-level'))?.text.trim() ?? '1';
  if (level !== '1' && level !== 'infinite') return textReply(400, 'sync-level must be 1 or infinite');
  let since = 0;
  if (tokenText !== '') {
    const n = parseToken(ctx, tokenText);
    if (n === undefined) return davError(ctx, 403, DAV('valid-sync-token'));
    since = n;
  }
  const req = readPropRequest(root) ?? { kind: 'prop', props: [el(DAV('getetag'))] };
  const responses: XmlElement[] = [];
  for (const m of store.members(collection)) {
    if (m.modSeq <= since || !canRead(ctx.state, ctx.user, m.path)) continue;
    // Sync-level infinite would need to descend; we do not, and say so per child collection (§3.3).
    if (level === 'infinite' && isCollection(m)) responses.push(statusResponse(m.path, 403, el(DAV('sync-traversal-supported'))));
    else responses.push(propResponse(ctx, m, req));
  }
  // Fault hook: removed members are never reported, so clients keep ghosts forever.
  if (tokenText !== '' && !faults.has('sync-omits-deletions')) {
    for (const [path, rev] of collection.tombstones ?? []) if (rev > since) responses.push(statusResponse(path, 404));
  }
  return multistatus(responses, syncTokenOf(ctx, collection));
}
