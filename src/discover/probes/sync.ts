// Change-tracking probes: RFC 6578 sync-collection and CS:getctag, each after a pause and on quick
// successive writes (coarse tokens miss changes), plus deletions reported as 404 members.
import type { Exchange } from '../../model/exchange.js';
import { deepText } from '../../xml/element.js';
import { hrefPath } from '../../xml/href.js';
import {
  ms,
  NSDECL,
  prop,
  propfindBody,
  refusalGrade,
  send,
  sleep,
  status,
  vevent,
  XML,
  type ProbeContext,
} from '../context.js';
import type { ProbeResult } from '../types.js';
import { obj, put, quirk, result } from './shared.js';

const CS = (local: string) => `{http://calendarserver.org/ns/}${local}`;

const SYNC = (token: string) =>
  '<?xml version="1.0" encoding="utf-8"?>\n' +
  `<d:sync-collection ${NSDECL}><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level>` +
  '<d:prop><d:getetag/></d:prop></d:sync-collection>';

interface SyncAnswer {
  ex: Exchange;
  token?: string;
  changed: string[];
  removed: string[];
}

async function sync(ctx: ProbeContext, token: string): Promise<SyncAnswer> {
  const ex = await send(ctx, 'REPORT', ctx.calendar!, { body: SYNC(token), headers: { ...XML, depth: '0' } });
  const m = ms(ex);
  const changed: string[] = [];
  const removed: string[] = [];
  for (const r of m?.responses ?? []) {
    const name = hrefPath(r.href).split('/').pop() ?? '';
    if (r.status === 404) removed.push(name);
    else changed.push(name);
  }
  return { ex, ...(m?.syncToken ? { token: m.syncToken } : {}), changed, removed };
}

async function ctag(ctx: ProbeContext): Promise<string | undefined> {
  const ex = await send(ctx, 'PROPFIND', ctx.calendar!, {
    body: propfindBody(['cs:getctag']),
    headers: { ...XML, depth: '0' },
  });
  const p = prop(ms(ex), CS('getctag'));
  return p ? deepText(p).trim() : undefined;
}

/** Pause that lets second-precision tokens tick, so a "slow" change is judged apart from quick ones. */
const TICK_MS = 1100;

export async function probeSyncAndCtag(ctx: ProbeContext): Promise<ProbeResult[]> {
  const initial = await sync(ctx, '');
  const c0 = await ctag(ctx);
  const syncSupported = status(initial.ex) === 207 && initial.token !== undefined;
  await sleep(TICK_MS, ctx.signal);
  // Slow change: a new member after a pause.
  const s1 = `s1.ics`;
  await put(ctx, s1, vevent(`calspec-${ctx.runId}-s1`, '20300401T100000Z', '20300401T110000Z'));
  const afterSlow = syncSupported ? await sync(ctx, initial.token!) : undefined;
  const c1 = await ctag(ctx);
  // Quick successive changes: write, then sync with the previous token at once, three times.
  let quickMissed = 0;
  let quickTokenSame = 0;
  let quickCtagSame = 0;
  let prevToken = afterSlow?.token;
  let prevCtag = c1;
  for (let i = 0; i < 3; i++) {
    const name = `q${i}.ics`;
    await put(ctx, name, vevent(`calspec-${ctx.runId}-q${i}`, '20300402T100000Z', '20300402T110000Z'));
    if (syncSupported && prevToken) {
      const q = await sync(ctx, prevToken);
      if (!q.changed.some((n) => n.endsWith(name))) quickMissed++;
      if (!q.token || q.token === prevToken) quickTokenSame++;
      prevToken = q.token ?? prevToken;
    }
    const c = await ctag(ctx);
    if (c !== undefined && c === prevCtag) quickCtagSame++;
    prevCtag = c;
  }
  // Deletion must be reported as a 404 member.
  await send(ctx, 'DELETE', obj(ctx, s1));
  ctx.sandbox.forget(obj(ctx, s1));
  const afterDelete = syncSupported && prevToken ? await sync(ctx, prevToken) : undefined;

  const out: ProbeResult[] = [];
  // sync-collection
  if (!syncSupported) {
    if (status(initial.ex) === 207)
      out.push(
        result('sync-collection', 'RFC 6578 sync-collection', 'broken', '207 without a DAV:sync-token', {
          feature: 'sync-collection',
        }),
      );
    else {
      const r = refusalGrade(initial.ex);
      out.push(
        result('sync-collection', 'RFC 6578 sync-collection', r.grade, `initial REPORT ${r.observed}`, {
          feature: 'sync-collection',
        }),
      );
    }
  } else {
    const slowOk =
      afterSlow !== undefined &&
      afterSlow.changed.some((n) => n.endsWith(s1)) &&
      afterSlow.token !== undefined &&
      afterSlow.token !== initial.token;
    const deleteOk = afterDelete !== undefined && afterDelete.removed.some((n) => n.endsWith(s1));
    const tokenShape = initial.token!.length > 40 ? `${initial.token!.slice(0, 40)}…` : initial.token!;
    if (!slowOk) {
      const why =
        afterSlow?.token === initial.token
          ? 'the token did not change after a write'
          : `incremental sync ${
              afterSlow ? `reported ${afterSlow.changed.length} changes and missed the new member` : 'failed'
            }`;
      out.push(
        result('sync-collection', 'RFC 6578 sync-collection', 'broken', `${why} (token ${tokenShape})`, {
          feature: 'sync-collection',
        }),
      );
    } else if (quickMissed > 0 || quickTokenSame > 0) {
      out.push(
        result(
          'sync-collection',
          'RFC 6578 sync-collection',
          'fragile',
          `works after a pause, but on quick successive writes ${quickMissed} of 3 changes were missed ` +
            `and the token stayed the same ${quickTokenSame} times (token ${tokenShape})`,
          {
            feature: 'sync-collection',
            quirks: [
              quirk(
                'sync-token-fragile',
                'sync-collection tokens do not change on quick successive writes ' +
                  '(coarse, e.g. second-precision, tokens): clients can miss changes.',
              ),
            ],
          },
        ),
      );
    } else if (!deleteOk) {
      out.push(
        result(
          'sync-collection',
          'RFC 6578 sync-collection',
          'broken',
          `changes reported, but a deleted member is not reported as 404 (token ${tokenShape})`,
          { feature: 'sync-collection' },
        ),
      );
    } else {
      out.push(
        result(
          'sync-collection',
          'RFC 6578 sync-collection',
          'full',
          'initial + incremental sync, deletions as 404, token changes on every write incl. 3 quick ones ' +
            `(token ${tokenShape})`,
          { feature: 'sync-collection' },
        ),
      );
    }
  }
  // getctag
  if (c0 === undefined)
    out.push(
      result('getctag', 'CS:getctag', 'unsupported', 'CS:getctag is not reported on the calendar', {
        feature: 'getctag',
      }),
    );
  else if (c1 === c0)
    out.push(
      result('getctag', 'CS:getctag', 'broken', 'CS:getctag does not change after a write', { feature: 'getctag' }),
    );
  else if (quickCtagSame > 0) {
    out.push(
      result(
        'getctag',
        'CS:getctag',
        'fragile',
        `changes after a pause, but stayed the same on ${quickCtagSame} of 3 quick successive writes`,
        {
          feature: 'getctag',
          quirks: [quirk('ctag-fragile', 'CS:getctag does not change on quick successive writes.')],
        },
      ),
    );
  } else
    out.push(
      result('getctag', 'CS:getctag', 'full', 'changes on every write, quick ones included', { feature: 'getctag' }),
    );
  return out;
}
