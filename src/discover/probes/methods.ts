// Probes of further WebDAV methods on the calendar and its objects: PROPPATCH (live and dead
// properties) and LOCK / UNLOCK (COPY and MOVE are in copy-move.ts).
import { deepText } from '../../xml/element.js';
import {
  describe,
  ICAL,
  ms,
  NSDECL,
  ok,
  prop,
  refusalGrade,
  send,
  status,
  vevent,
  XML,
  type ProbeContext,
} from '../context.js';
import type { ProbeResult } from '../types.js';
import { D, obj, quirk, result } from './shared.js';

const PROPPATCH = (props: string) =>
  '<?xml version="1.0" encoding="utf-8"?>\n' +
  `<d:propertyupdate ${NSDECL} xmlns:x="urn:calspec:discover"><d:set><d:prop>${props}</d:prop></d:set>` +
  '</d:propertyupdate>';

export async function probeProppatch(ctx: ProbeContext): Promise<ProbeResult[]> {
  const out: ProbeResult[] = [];
  const read = async () => {
    const ex = await send(ctx, 'PROPFIND', ctx.calendar!, {
      body:
        '<?xml version="1.0" encoding="utf-8"?>\n' +
        `<d:propfind ${NSDECL} xmlns:x="urn:calspec:discover"><d:prop><d:displayname/><x:dead/></d:prop></d:propfind>`,
      headers: { ...XML, depth: '0' },
    });
    return ms(ex);
  };
  // A live property and a dead one, separately (PROPPATCH is atomic: one refusal fails both).
  for (const [feature, title, body, check] of [
    ['proppatch', 'PROPPATCH (DAV:displayname)', '<d:displayname>calspec renamed</d:displayname>', D('displayname')],
    ['dead-properties', 'dead properties', '<x:dead>kept</x:dead>', '{urn:calspec:discover}dead'],
  ] as const) {
    const ex = await send(ctx, 'PROPPATCH', ctx.calendar!, { body: PROPPATCH(body), headers: XML });
    const m = ms(ex);
    if (!m) {
      const r = refusalGrade(ex);
      out.push(
        result(
          feature,
          title,
          status(ex) === 207 ? 'broken' : r.grade,
          status(ex) === 207 ? '207 with an unparsable body' : `PROPPATCH ${r.observed}`,
          { feature },
        ),
      );
      continue;
    }
    const st = m.responses[0]?.propstats.find((p) => p.props.some((x) => x.name === check))?.status ?? null;
    const value = prop(await read(), check);
    const expected = feature === 'proppatch' ? 'calspec renamed' : 'kept';
    const readsBack = value !== undefined && deepText(value).trim() === expected;
    const what = feature === 'proppatch' ? 'DAV:displayname' : 'a property in a foreign namespace';
    if (st === 200 && readsBack) out.push(result(feature, title, 'full', `${what}: 200, reads back`, { feature }));
    else if (st === 200)
      out.push(result(feature, title, 'broken', `${what}: 200, but does not read back`, { feature }));
    else
      out.push(
        result(
          feature,
          title,
          st !== null && st >= 500 ? 'ungraceful' : 'unsupported',
          `${what}: refused with ${st ?? 'no status'} in a 207`,
          { feature },
        ),
      );
  }
  return out;
}

export async function probeLock(ctx: ProbeContext): Promise<ProbeResult> {
  const class2 = ctx.davClasses.includes('2');
  const body =
    '<?xml version="1.0" encoding="utf-8"?>\n' +
    '<d:lockinfo xmlns:d="DAV:"><d:lockscope><d:exclusive/></d:lockscope><d:locktype><d:write/></d:locktype>' +
    '<d:owner>calspec discover</d:owner></d:lockinfo>';
  const path = obj(ctx, 'a.ics');
  const lock = await send(ctx, 'LOCK', path, { body, headers: { ...XML, timeout: 'Second-60', depth: '0' } });
  if (!ok(lock)) {
    const r = refusalGrade(lock);
    // Advertising class 2 without LOCK is a false claim, but the feature is still absent.
    return result(
      'lock',
      'LOCK / UNLOCK',
      r.grade,
      `LOCK ${r.observed}${class2 ? ' although DAV class 2 is advertised' : ' (no DAV class 2)'}`,
      {
        feature: 'lock',
        ...(class2
          ? {
              quirks: [
                quirk(
                  'dav-class-2-without-lock',
                  `The DAV header advertises class 2, but LOCK is refused (${describe(lock)}).`,
                ),
              ],
            }
          : {}),
      },
    );
  }
  const token =
    lock.response!.headers['lock-token'] ??
    /<(?:\w+:)?href>\s*(opaquelocktoken:[^<\s]+|urn:uuid:[^<\s]+)/.exec(lock.response!.body)?.[1];
  const bare = token?.replace(/^<|>$/g, '');
  const blocked = await send(ctx, 'PUT', path, {
    body: vevent(`calspec-${ctx.runId}-a`, '20300115T100000Z', '20300115T110000Z', 'DESCRIPTION:without lock token'),
    headers: ICAL,
  });
  const unlock = bare ? await send(ctx, 'UNLOCK', path, { headers: { 'lock-token': `<${bare}>` } }) : undefined;
  const notes = [
    `LOCK ${status(lock)}${bare ? '' : ' without a lock token'}`,
    `PUT without the token ${status(blocked)}`,
    `UNLOCK ${unlock ? describe(unlock) : 'not tried'}`,
  ];
  if (!class2) notes.push('DAV class 2 not advertised');
  const lockedInside = status(blocked) === 207 && /HTTP\/1\.[01] 423/.test(blocked.response?.body ?? '');
  if (lockedInside) {
    return result(
      'lock',
      'LOCK / UNLOCK',
      'quirk',
      `${notes.join('; ')} — enforced, but as a 207 multistatus holding 423`,
      {
        feature: 'lock',
        quirks: [
          quirk(
            'locked-put-207',
            'A write to a locked resource is refused with a 207 multistatus holding 423 instead of a plain 423.',
          ),
        ],
      },
    );
  }
  if (status(blocked) !== 423)
    return result('lock', 'LOCK / UNLOCK', 'broken', `${notes.join('; ')} — the lock is not enforced`, {
      feature: 'lock',
    });
  if (!bare || !unlock || !ok(unlock))
    return result('lock', 'LOCK / UNLOCK', 'broken', notes.join('; '), { feature: 'lock' });
  return result('lock', 'LOCK / UNLOCK', class2 ? 'full' : 'quirk', notes.join('; '), { feature: 'lock' });
}
