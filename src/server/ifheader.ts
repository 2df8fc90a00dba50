// The WebDAV If header (RFC 4918 §10.4): untagged lists apply to the request-URI, tagged lists to
// the resource they name. A list is a conjunction of conditions, the header a disjunction of lists;
// when no list holds the request fails with 412. State tokens are lock tokens (RFC 4918 §6.5) and
// collection sync-tokens (RFC 6578 §5); `[etag]` conditions compare entity tags.
// The header itself is parsed in lock-tokens.ts.
import { header, textReply, type Ctx, type Reply } from './context.js';
import { parseIf, type Condition } from './lock-tokens.js';
import { locksCovering } from './locks.js';
import { syncTokenOf } from './sync-token.js';

const weak = (t: string) => t.replace(/^W\//, '');

function holds(ctx: Ctx, path: string, c: Condition): boolean {
  const r = ctx.state.store.get(path);
  let result: boolean;
  if (c.kind === 'etag') result = r !== undefined && r.etag !== '' && weak(r.etag) === weak(c.value);
  else {
    const lock = locksCovering(ctx.state, path).some((l) => l.token === c.value);
    result = lock || (r !== undefined && r.members !== undefined && syncTokenOf(ctx, r) === c.value);
  }
  return c.not ? !result : result;
}

/** `undefined` when there is no If header or it holds; otherwise the 400/412 reply. */
export function checkIfHeader(ctx: Ctx): Reply | undefined {
  const raw = header(ctx, 'if');
  if (raw === undefined) return undefined;
  const lists = parseIf(raw);
  if (!lists) return textReply(400, 'Malformed If header');
  const ok = lists.some((l) => l.conditions.every((c) => holds(ctx, l.resource ?? ctx.path, c)));
  return ok ? undefined : textReply(412, 'If header precondition failed');
}
