// COPY and MOVE, decided separately: many servers move objects (clients rename and re-file with
// MOVE) but do not copy them, so one feature for both would either skip MOVE's scenarios on them
// or fail COPY's. Each verdict rests on the server's own answer to the method, with the Allow
// header of the object as further evidence (not as a claim: RFC 4918 §9.8/§9.9 say that offering
// a method does not guarantee every copy or move succeeds).
import type { Exchange } from '../../model/exchange.js';
import { describe, ok, refusalGrade, send, status, type ProbeContext } from '../context.js';
import type { ProbeResult } from '../types.js';
import { obj, quirk, result } from './shared.js';

function allowNote(options: Exchange, method: string): string {
  const allow = options.response?.headers['allow'];
  if (allow === undefined) return 'no Allow header';
  const listed = allow
    .split(',')
    .map((m) => m.trim().toUpperCase())
    .includes(method);
  return listed ? `Allow lists ${method}` : `Allow does not list ${method}`;
}

/**
 * `other`: where to create a second calendar. A copy within one calendar keeps the UID, which
 * RFC 4791 §5.3.2.1 (no-uid-conflict) forbids, so only a copy into another calendar can succeed;
 * without one, a no-uid-conflict refusal shows that COPY is at least implemented.
 */
export async function probeCopyMove(ctx: ProbeContext, other?: string): Promise<ProbeResult[]> {
  const base = new URL(ctx.baseUrl);
  const abs = (path: string) => new URL(encodeURI(path), base).toString();
  const notes: string[] = [];
  let second: string | undefined;
  if (other) {
    const mk = await send(ctx, 'MKCALENDAR', other);
    if (ok(mk)) {
      ctx.sandbox.track(other, ctx.auth, 'discover');
      second = other;
    } else notes.push(`no second calendar (MKCALENDAR ${describe(mk)})`);
  }
  const options = await send(ctx, 'OPTIONS', obj(ctx, 'a.ics'));
  return [await copyResult(ctx, abs, second, options, notes), await moveResult(ctx, abs, second, options)];
}

async function copyResult(
  ctx: ProbeContext,
  abs: (path: string) => string,
  second: string | undefined,
  options: Exchange,
  notes: string[],
): Promise<ProbeResult> {
  const dest = second ? `${second}a.ics` : obj(ctx, 'copy.ics');
  const where = second ? 'into another calendar' : 'within the calendar';
  const copy = await send(ctx, 'COPY', obj(ctx, 'a.ics'), { headers: { destination: abs(dest), overwrite: 'F' } });
  const allow = allowNote(options, 'COPY');
  const tail = [allow, ...notes].join('; ');
  if (ok(copy)) {
    if (!second && !ctx.ownCalendar) ctx.sandbox.track(dest, ctx.auth, 'discover');
    return result('copy', 'COPY', 'full', `COPY ${where} ${status(copy)}; ${tail}`, { feature: 'copy' });
  }
  const s = status(copy) ?? 0;
  const uidConflict = !second && s >= 400 && s < 500 && /no-uid-conflict/.test(copy.response?.body ?? '');
  if (uidConflict)
    return result('copy', 'COPY', 'full', `COPY ${where} refused as a UID conflict (${describe(copy)}); ${tail}`, {
      feature: 'copy',
    });
  const r = refusalGrade(copy);
  return result('copy', 'COPY', r.grade, `COPY ${where} ${r.observed}; ${tail}`, { feature: 'copy' });
}

/** A rename first (what clients do most); when that is refused, a move into the second calendar. */
async function moveResult(
  ctx: ProbeContext,
  abs: (path: string) => string,
  second: string | undefined,
  options: Exchange,
): Promise<ProbeResult> {
  const allow = allowNote(options, 'MOVE');
  const source = obj(ctx, 'b.ics');
  const attempt = async (dest: string) => {
    const ex = await send(ctx, 'MOVE', source, { headers: { destination: abs(dest), overwrite: 'F' } });
    if (ok(ex) && !ctx.ownCalendar) {
      ctx.sandbox.forget(source);
      if (!second || !dest.startsWith(second)) ctx.sandbox.track(dest, ctx.auth, 'discover');
    }
    return ex;
  };
  let dest = obj(ctx, 'moved.ics');
  let move = await attempt(dest);
  const renamed = move;
  if (!ok(move) && second) {
    dest = `${second}b.ics`;
    move = await attempt(dest);
  }
  if (!ok(move)) {
    const r = refusalGrade(move);
    const rename = second ? `rename ${refusalGrade(renamed).observed}; into another calendar ` : '';
    return result('move', 'MOVE', r.grade, `MOVE ${rename}${r.observed}; ${allow}`, { feature: 'move' });
  }
  const src = await send(ctx, 'GET', source);
  const dst = await send(ctx, 'GET', dest);
  const what = move === renamed ? `MOVE (rename) ${status(move)}` : `MOVE into another calendar ${status(move)}`;
  if (status(src) !== 404 || !ok(dst))
    return result(
      'move',
      'MOVE',
      'broken',
      `${what}, but source GET ${describe(src)}, destination GET ${describe(dst)}; ${allow}`,
      { feature: 'move' },
    );
  if (move === renamed) return result('move', 'MOVE', 'full', `${what}; ${allow}`, { feature: 'move' });
  return result('move', 'MOVE', 'quirk', `${what}; rename ${refusalGrade(renamed).observed}; ${allow}`, {
    feature: 'move',
    quirks: [quirk('no-move-rename', `MOVE within a calendar (a rename) is refused (${describe(renamed)}).`)],
  });
}
