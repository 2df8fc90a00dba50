// The WebDAV If header (RFC 4918 §10.4): untagged lists apply to the request-URI, tagged lists to
// the resource they name. A list is a conjunction of conditions, the header a disjunction of lists;
// when no list holds the request fails with 412. State tokens are lock tokens (RFC 4918 §6.5) and
// collection sync-tokens (RFC 6578 §5); `[etag]` conditions compare entity tags.
import { hrefPath } from '../xml/index.js';
import { header, textReply, type Ctx, type Reply } from './context.js';
import { locksCovering } from './locks.js';
import { syncTokenOf } from './props.js';
import { keyOf } from './store.js';

export interface Condition {
  not: boolean;
  kind: 'token' | 'etag';
  value: string;
}

export interface IfList {
  /** Decoded path of the tagged resource; undefined for a No-tag-list. */
  resource?: string;
  conditions: Condition[];
}

/** Parse an If header; undefined when it is malformed (the caller answers 400). */
export function parseIf(value: string): IfList[] | undefined {
  const lists: IfList[] = [];
  let tag: string | undefined;
  let i = 0;
  const s = value;
  const skip = () => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  const until = (close: string): string | undefined => {
    const end = s.indexOf(close, i + 1);
    if (end < 0) return undefined;
    const out = s.slice(i + 1, end);
    i = end + 1;
    return out;
  };
  skip();
  const tagged = s[i] === '<';
  while (i < s.length) {
    skip();
    if (i >= s.length) break;
    if (s[i] === '<') {
      if (!tagged) return undefined; // tagged and untagged productions cannot be mixed
      const t = until('>');
      if (t === undefined) return undefined;
      tag = hrefPath(t);
      continue;
    }
    if (s[i] !== '(') return undefined;
    i++;
    const conditions: Condition[] = [];
    for (;;) {
      skip();
      if (s[i] === ')') {
        i++;
        break;
      }
      let not = false;
      if (s.slice(i, i + 3).toLowerCase() === 'not') {
        not = true;
        i += 3;
        skip();
      }
      if (s[i] === '<') {
        const t = until('>');
        if (t === undefined) return undefined;
        conditions.push({ not, kind: 'token', value: t });
      } else if (s[i] === '[') {
        const t = until(']');
        if (t === undefined) return undefined;
        conditions.push({ not, kind: 'etag', value: t.trim() });
      } else return undefined;
    }
    if (conditions.length === 0) return undefined;
    if (tagged && tag === undefined) return undefined;
    lists.push({ ...(tagged ? { resource: tag } : {}), conditions });
  }
  return lists.length ? lists : undefined;
}

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

/** Lock tokens the request submits (RFC 4918 §10.4: any state token named in the If header). */
export function submittedTokens(ctx: Ctx): Set<string> {
  const raw = header(ctx, 'if');
  const lists = raw ? parseIf(raw) ?? [] : [];
  return new Set(lists.flatMap((l) => l.conditions.filter((c) => c.kind === 'token' && !c.not).map((c) => c.value)));
}

/** Same resource, ignoring a trailing slash. */
export function samePath(a: string, b: string): boolean {
  return keyOf(a) === keyOf(b);
}
