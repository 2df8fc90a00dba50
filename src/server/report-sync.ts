// DAV:sync-collection (RFC 6578). Tokens are opaque URIs carrying a store revision; a member is
// reported when its modSeq is newer than the token, a removal when its tombstone is.
import { el, type XmlElement } from '../xml/index.js';
import { canRead } from './acl.js';
import { DAV, davError, depthOf, multistatus, statusResponse, textReply, type Ctx, type Reply } from './context.js';
import { propResponse, readPropRequest } from './props.js';
import { isCollection, type Resource } from './store.js';
import { SYNC_TOKEN_PREFIX, syncTokenOf } from './sync-token.js';

/** The revision a token stands for, if it was issued by this incarnation of `collection`. */
function parseToken(ctx: Ctx, collection: Resource, token: string): number | undefined {
  if (!token.startsWith(SYNC_TOKEN_PREFIX)) return undefined;
  const m = /^(\d+)-(\d+)$/.exec(token.slice(SYNC_TOKEN_PREFIX.length));
  if (!m || Number(m[1]) !== collection.serial) return undefined;
  const n = Number(m[2]);
  return n <= ctx.state.store.currentRevision ? n : undefined;
}

/** DAV:limit/DAV:nresults (RFC 5323 §5.17 as used by RFC 6578 §3.7); undefined when absent. */
function limitOf(root: XmlElement): number | 'invalid' | undefined {
  const n = root.children
    .find((c) => c.name === DAV('limit'))
    ?.children.find((c) => c.name === DAV('nresults'))
    ?.text.trim();
  if (n === undefined) return undefined;
  return /^\d+$/.test(n) && Number(n) > 0 ? Number(n) : 'invalid';
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
    const n = parseToken(ctx, collection, tokenText);
    if (n === undefined) return davError(ctx, 403, DAV('valid-sync-token'));
    since = n;
  }
  const limit = limitOf(root);
  if (limit === 'invalid') return textReply(400, 'DAV:nresults must be a positive integer');
  const req = readPropRequest(root) ?? { kind: 'prop', props: [el(DAV('getetag'))] };
  // Every change since the token, in revision order, so a truncated answer is a prefix of it.
  const changes: { rev: number; render: () => XmlElement }[] = [];
  for (const m of store.members(collection)) {
    if (m.modSeq <= since || !canRead(ctx.state, ctx.user, m.path)) continue;
    // Sync-level infinite would need to descend; we do not, and say so per child collection (§3.3).
    if (level === 'infinite' && isCollection(m))
      changes.push({ rev: m.modSeq, render: () => statusResponse(m.path, 403, el(DAV('sync-traversal-supported'))) });
    else changes.push({ rev: m.modSeq, render: () => propResponse(ctx, m, req) });
  }
  // Fault hook: removed members are never reported, so clients keep ghosts forever.
  if (tokenText !== '' && !faults.has('sync-omits-deletions')) {
    for (const [path, rev] of collection.tombstones ?? [])
      if (rev > since) changes.push({ rev, render: () => statusResponse(path, 404) });
  }
  changes.sort((a, b) => a.rev - b.rev);
  if (limit === undefined || changes.length <= limit)
    return multistatus(
      changes.map((c) => c.render()),
      syncTokenOf(ctx, collection),
    );
  // §3.6: report a prefix, mark the request-URI 507, and hand out a token that covers only that prefix.
  const kept = changes.slice(0, limit);
  const responses = [
    ...kept.map((c) => c.render()),
    statusResponse(collection.path, 507, el(DAV('number-of-matches-within-limits'))),
  ];
  return multistatus(responses, syncTokenOf(ctx, collection, kept[kept.length - 1]!.rev));
}
