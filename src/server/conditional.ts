// RFC 7232 §6 precondition evaluation order: If-Match, else If-Unmodified-Since; then If-None-Match,
// else If-Modified-Since (GET/HEAD only). Reads answer 304 where writes answer 412. The WebDAV If
// header (RFC 4918 §10.4) and If-Schedule-Tag-Match (RFC 6638 §8.2) are checked first.
import { header, textReply, type Ctx, type Reply } from './context.js';
import { checkIfHeader } from './ifheader.js';
import type { Resource } from './store.js';

function tags(value: string): string[] {
  return value
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

function httpDate(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : Math.floor(t / 1000);
}

function seconds(d: Date): number {
  return Math.floor(d.getTime() / 1000);
}

/** `undefined` when every precondition holds; otherwise the 304/412 reply. */
export function checkConditions(ctx: Ctx, r: Resource | undefined): Reply | undefined {
  const { faults } = ctx.state;
  const read = ctx.method === 'GET' || ctx.method === 'HEAD';
  const etag = r?.etag ?? '';
  const ifHeader = checkIfHeader(ctx);
  if (ifHeader) return ifHeader;
  const stag = header(ctx, 'if-schedule-tag-match');
  // Fault hook: If-Schedule-Tag-Match never evaluated, so attendee replies and organizer edits collide.
  if (
    stag !== undefined &&
    !read &&
    !faults.has('schedule-tag-ignored') &&
    (r?.scheduleTag === undefined || r.scheduleTag !== stag.trim())
  ) {
    return textReply(412, 'If-Schedule-Tag-Match precondition failed');
  }
  const ifMatch = header(ctx, 'if-match');
  // Fault hook: If-Match never evaluated, so lost updates go unnoticed.
  if (ifMatch !== undefined && !faults.has('if-match-ignored')) {
    const list = tags(ifMatch);
    const ok = r !== undefined && (list.includes('*') || (etag !== '' && list.includes(etag)));
    if (!ok) return textReply(412, 'If-Match precondition failed');
  } else if (ifMatch === undefined) {
    const since = httpDate(header(ctx, 'if-unmodified-since'));
    if (r && since !== undefined && seconds(r.modified) > since)
      return textReply(412, 'If-Unmodified-Since precondition failed');
  }
  const ifNoneMatch = header(ctx, 'if-none-match');
  if (ifNoneMatch !== undefined) {
    const list = tags(ifNoneMatch);
    // Weak comparison (RFC 7232 §3.2): W/ prefixes do not matter.
    const weak = (t: string) => t.replace(/^W\//, '');
    const hit = r !== undefined && (list.includes('*') || (etag !== '' && list.map(weak).includes(weak(etag))));
    // Fault hook: If-None-Match ignored on writes, so "create only" PUTs overwrite.
    if (hit && !(faults.has('if-none-match-ignored') && !read)) {
      return read
        ? { status: 304, headers: etag ? { ETag: etag } : {} }
        : textReply(412, 'If-None-Match precondition failed');
    }
  } else if (read && r) {
    const since = httpDate(header(ctx, 'if-modified-since'));
    if (since !== undefined && seconds(r.modified) <= since) return { status: 304 };
  }
  return undefined;
}
