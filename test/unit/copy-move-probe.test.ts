// The COPY / MOVE probe against canned answers: each feature is decided from the server's own answer
// to that method, a UID conflict counts as "COPY works" only within one calendar (where it is the
// correct answer), and a refused rename falls back to a move between calendars.
import assert from 'node:assert/strict';
import { probeCopyMove } from '../../src/discover/probes/copy-move.js';
import type { ProbeContext } from '../../src/discover/context.js';
import type { Exchange } from '../../src/model/exchange.js';

interface Canned {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

/** A context whose client answers by "METHOD path-suffix" rules (first match wins); GET answers 404. */
function context(rules: [RegExp, Canned][], ownCalendar = true): { ctx: ProbeContext; sent: string[] } {
  const sent: string[] = [];
  const client = {
    send: async (req: { method: string; url: string; headers: Record<string, string> }) => {
      const to = req.headers.destination ? ` -> ${new URL(req.headers.destination).pathname}` : '';
      const line = `${req.method} ${new URL(req.url).pathname}${to}`;
      sent.push(line);
      const hit = rules.find(([re]) => re.test(line))?.[1] ?? { status: req.method === 'GET' ? 404 : 500 };
      return {
        request: req,
        response: { status: hit.status, headers: hit.headers ?? {}, body: hit.body ?? '' },
        timings: { totalMs: 1 },
      } as unknown as Exchange;
    },
  };
  const tracked: string[] = [];
  const ctx = {
    client,
    auth: {},
    baseUrl: 'http://127.0.0.1:1/',
    user: 'test',
    runId: 'r',
    principal: '/p/test/',
    home: '/cal/test/',
    sandbox: { track: (p: string) => tracked.push(p), forget: () => undefined, note: () => undefined },
    davClasses: ['1', 'calendar-access'],
    calendar: '/cal/test/scratch/',
    objectPrefix: '',
    ownCalendar,
    exchanges: [],
  } as unknown as ProbeContext;
  return { ctx, sent };
}

const ALLOW = { allow: 'OPTIONS, GET, PUT, DELETE, MOVE, PROPFIND' };

describe('discover: the COPY / MOVE probe', () => {
  it('COPY refused into another calendar is absent even when the refusal names no-uid-conflict', async () => {
    // Cyrus keeps UIDs unique per user: a copy can succeed nowhere, so COPY is not there to test.
    const { ctx } = context([
      [/^MKCALENDAR/, { status: 201 }],
      [/^OPTIONS/, { status: 200, headers: { allow: 'COPY, MOVE' } }],
      [/^COPY/, { status: 405, body: '<d:error xmlns:d="DAV:" xmlns:c="c"><c:no-uid-conflict/></d:error>' }],
      [/^MOVE .*b\.ics -> .*moved\.ics/, { status: 201 }],
      [/^GET .*moved\.ics/, { status: 200 }],
    ]);
    const [copy, move] = await probeCopyMove(ctx, '/cal/test/other/');
    assert.equal(copy!.feature, 'copy');
    assert.equal(copy!.grade, 'unsupported');
    assert.match(copy!.observed, /^COPY into another calendar refused with 405 .*; Allow lists COPY$/);
    assert.deepEqual(
      [move!.feature, move!.grade, move!.observed],
      ['move', 'full', 'MOVE (rename) 201; Allow lists MOVE'],
    );
  });

  it('without a second calendar, a no-uid-conflict refusal within the calendar shows COPY works', async () => {
    const { ctx, sent } = context([
      [/^OPTIONS/, { status: 200, headers: ALLOW }],
      [/^COPY .*a\.ics -> .*copy\.ics/, { status: 403, body: '<error><no-uid-conflict/></error>' }],
      [/^MOVE/, { status: 201 }],
      [/^GET .*moved\.ics/, { status: 200 }],
    ]);
    const [copy] = await probeCopyMove(ctx);
    assert.equal(copy!.grade, 'full');
    assert.match(copy!.observed, /refused as a UID conflict .*; Allow does not list COPY/);
    assert.ok(!sent.some((l) => l.startsWith('MKCALENDAR')));
  });

  it('a refused rename falls back to a move between calendars (a quirk); both refused is absent', async () => {
    const renameRefused = context([
      [/^MKCALENDAR/, { status: 201 }],
      [/^OPTIONS/, { status: 200, headers: ALLOW }],
      [/^COPY/, { status: 201 }],
      [/^MOVE .*-> \/cal\/test\/scratch\//, { status: 403 }],
      [/^MOVE .*-> \/cal\/test\/other\//, { status: 201 }],
      [/^GET \/cal\/test\/other\/b\.ics/, { status: 200 }],
    ]);
    const [copy, move] = await probeCopyMove(renameRefused.ctx, '/cal/test/other/');
    assert.equal(copy!.grade, 'full');
    assert.equal(move!.grade, 'quirk');
    assert.match(move!.observed, /^MOVE into another calendar 201; rename refused with 403/);
    assert.deepEqual(
      move!.quirks?.map((q) => q.id),
      ['no-move-rename'],
    );

    const none = context([
      [/^MKCALENDAR/, { status: 201 }],
      [/^OPTIONS/, { status: 200, headers: { allow: 'GET, PUT' } }],
      [/^(COPY|MOVE)/, { status: 501 }],
    ]);
    const [, absent] = await probeCopyMove(none.ctx, '/cal/test/other/');
    assert.equal(absent!.grade, 'unsupported');
    assert.match(
      absent!.observed,
      /rename refused with 501.*into another calendar refused with 501.*Allow does not list MOVE/,
    );
  });

  it('a MOVE that answers 2xx but leaves the source in place is broken, so its scenarios run', async () => {
    const { ctx } = context([
      [/^OPTIONS/, { status: 200, headers: ALLOW }],
      [/^COPY/, { status: 201 }],
      [/^MOVE/, { status: 201 }],
      [/^GET .*b\.ics/, { status: 200 }],
      [/^GET .*moved\.ics/, { status: 200 }],
    ]);
    const [, move] = await probeCopyMove(ctx);
    assert.equal(move!.grade, 'broken');
    assert.match(move!.observed, /but source GET 200/);
  });
});
