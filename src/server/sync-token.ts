// The DAV:sync-token format (RFC 6578 §4) as a leaf module: props.ts reports it, report-sync.ts reads
// it back and ifheader.ts compares it in If conditions (RFC 6578 §5), so none of them import another.
import type { Ctx } from './context.js';
import type { Resource } from './store.js';

export const SYNC_TOKEN_PREFIX = 'https://calspec.invalid/sync/';

/** `<prefix><collection serial>-<revision>`: a token names the collection incarnation that issued it. */
export function syncTokenOf(ctx: Ctx, r: Resource, seq?: number): string {
  // Fault hook: a token that never moves, so clients can never learn about changes.
  const rev = seq ?? (ctx.state.faults.has('sync-token-static') ? r.modSeq : r.syncSeq);
  return `${SYNC_TOKEN_PREFIX}${r.serial}-${rev}`;
}
