// `multistatus`: a 207 body is a well-formed DAV:multistatus with the expected responses.
//   - multistatus: { hrefs: ["${cal}a.ics"], absent: ["${cal}b.ics"], count: 1 }
//   - multistatus: { withStatus: { "${cal}gone.ics": 404 } }
//   - multistatus: { syncToken: true }
import type { CheckKind, CheckOutcome } from './types.js';
import { outcome } from './types.js';
import { listHrefs, responseStatus } from './select.js';
import { sameHref } from '../xml/href.js';

export interface MultistatusArgs {
  hrefs?: string[];
  /** With `hrefs`: no other hrefs may appear (the request collection itself is ignored). */
  only?: boolean;
  absent?: string[];
  count?: number;
  minCount?: number;
  maxCount?: number;
  withStatus?: Record<string, number>;
  syncToken?: boolean;
  /** Every propstat and response must carry a parsable HTTP status line. */
  wellFormed?: boolean;
}

export const multistatusCheck: CheckKind<MultistatusArgs> = {
  name: 'multistatus',
  summary: 'body is a DAV:multistatus; hrefs present/absent/only, response counts, per-href status, sync-token',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      hrefs: { type: 'array', items: { type: 'string' } },
      only: { type: 'boolean' },
      absent: { type: 'array', items: { type: 'string' } },
      count: { type: 'integer', minimum: 0 },
      minCount: { type: 'integer', minimum: 0 },
      maxCount: { type: 'integer', minimum: 0 },
      withStatus: { type: 'object', additionalProperties: { type: 'integer', minimum: 100, maximum: 599 } },
      syncToken: { type: 'boolean' },
      wellFormed: { const: true },
    },
  },
  example: { hrefs: ['/calendars/test/cal/a.ics'], count: 1 },
  run(args, ctx) {
    const parsed = ctx.view.multistatus();
    if (!parsed.ok) return outcome(false, 'body is a DAV:multistatus', ['<{DAV:}multistatus>'], parsed.error);
    const ms = parsed.value;
    const seen = listHrefs(ms);
    const has = (href: string) => ms.responses.some((r) => r.hrefs.some((h) => sameHref(h, href, ctx.baseUrl)));
    const failures: CheckOutcome[] = [];
    for (const href of args.hrefs ?? []) {
      if (!has(href)) failures.push(outcome(false, `multistatus lists ${href}`, [href], seen));
    }
    if (args.only && args.hrefs) {
      const own = ctx.exchange.request.url;
      const extra = ms.responses.filter(
        (r) => !sameHref(r.href, own, ctx.baseUrl) && !args.hrefs!.some((h) => sameHref(r.href, h, ctx.baseUrl)),
      );
      if (extra.length) failures.push(outcome(false, 'multistatus lists only the expected hrefs', args.hrefs, seen));
    }
    for (const href of args.absent ?? []) {
      if (has(href))
        failures.push(outcome(false, `multistatus does not list ${href}`, [`no response for ${href}`], seen));
    }
    if (args.count !== undefined && ms.responses.length !== args.count) {
      failures.push(
        outcome(
          false,
          `multistatus has ${args.count} responses`,
          [`${args.count} responses`],
          `${ms.responses.length}: ${seen}`,
        ),
      );
    }
    if (args.minCount !== undefined && ms.responses.length < args.minCount) {
      failures.push(
        outcome(
          false,
          `multistatus has at least ${args.minCount} responses`,
          [`>= ${args.minCount}`],
          `${ms.responses.length}: ${seen}`,
        ),
      );
    }
    if (args.maxCount !== undefined && ms.responses.length > args.maxCount) {
      failures.push(
        outcome(
          false,
          `multistatus has at most ${args.maxCount} responses`,
          [`<= ${args.maxCount}`],
          `${ms.responses.length}: ${seen}`,
        ),
      );
    }
    for (const [href, status] of Object.entries(args.withStatus ?? {})) {
      const response = ms.responses.find((r) => r.hrefs.some((h) => sameHref(h, href, ctx.baseUrl)));
      const actual = response ? responseStatus(response) : undefined;
      if (actual !== status) {
        failures.push(
          outcome(
            false,
            `${href} has status ${status}`,
            [`${href} with status ${status}`],
            response ? `status ${actual ?? 'mixed'}` : `absent; ${seen}`,
          ),
        );
      }
    }
    if (args.syncToken !== undefined && (ms.syncToken !== undefined) !== args.syncToken) {
      failures.push(
        outcome(
          false,
          `DAV:sync-token ${args.syncToken ? 'present' : 'absent'}`,
          [args.syncToken ? 'a DAV:sync-token element' : 'no sync-token'],
          ms.syncToken ?? '(none)',
        ),
      );
    }
    if (args.wellFormed) {
      const bad = ms.responses.filter(
        (r) => r.status === null && (r.propstats.length === 0 || r.propstats.some((p) => p.status === null)),
      );
      if (bad.length)
        failures.push(
          outcome(
            false,
            'every response carries a status',
            ['a DAV:status per response or propstat'],
            bad.map((r) => r.href).join(', '),
          ),
        );
    }
    const verdict = failures[0] ?? outcome(true, 'multistatus as expected', describe(args), seen);
    if (ctx.view.foreign > 0)
      verdict.notes = [
        `${ctx.view.foreign} response(s) for objects not this scenario's were left out (shared calendar)`,
      ];
    return verdict;
  },
};

function describe(args: MultistatusArgs): string[] {
  const out = [...(args.hrefs ?? [])];
  if (args.count !== undefined) out.push(`${args.count} responses`);
  for (const [href, status] of Object.entries(args.withStatus ?? {})) out.push(`${href} → ${status}`);
  return out.length ? out : ['a DAV:multistatus'];
}
