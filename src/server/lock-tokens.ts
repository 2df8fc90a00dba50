// Lock-token parsing, in one place: the If header grammar (RFC 4918 §10.4), the state tokens a
// request submits through it, and the Lock-Token header of UNLOCK (§10.5). A leaf module, so that
// locks.ts (which needs the submitted tokens) and ifheader.ts (which evaluates If conditions against
// the lock table) do not import each other.
import { hrefPath } from '../xml/index.js';
import { header, type Ctx } from './context.js';

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

/** Lock tokens the request submits (RFC 4918 §10.4: any state token named in the If header). */
export function submittedTokens(ctx: Ctx): Set<string> {
  const raw = header(ctx, 'if');
  const lists = raw ? (parseIf(raw) ?? []) : [];
  return new Set(lists.flatMap((l) => l.conditions.filter((c) => c.kind === 'token' && !c.not).map((c) => c.value)));
}

/** The token of a `Lock-Token: <token>` header (UNLOCK, §10.5); undefined when absent or malformed. */
export function lockTokenHeader(ctx: Ctx): string | undefined {
  const raw = header(ctx, 'lock-token')?.trim();
  const m = raw ? /^<(.+)>$/.exec(raw) : null;
  return m ? m[1] : undefined;
}
