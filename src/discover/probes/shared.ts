// Helpers the probe areas share: Clark names, the result and quirk builders, and the object PUT
// that tracks what it writes into a shared calendar for cleanup.
import type { Exchange } from '../../model/exchange.js';
import type { ProfileQuirk } from '../../model/profile.js';
import { ICAL, ok, send, vevent, type ProbeContext } from '../context.js';
import type { FeatureGrade, ProbeResult } from '../types.js';

export const C = (local: string) => `{urn:ietf:params:xml:ns:caldav}${local}`;
export const D = (local: string) => `{DAV:}${local}`;

export function result(
  id: string,
  title: string,
  grade: FeatureGrade,
  observed: string,
  extra: Partial<ProbeResult> = {},
): ProbeResult {
  return { id, title, grade, observed, ...extra };
}

export function quirk(id: string, description: string): ProfileQuirk {
  return { id, description };
}

export const obj = (ctx: ProbeContext, name: string) => `${ctx.calendar}${ctx.objectPrefix}${name}`;

/** PUT an object; in a shared calendar, track it for cleanup. */
export async function put(
  ctx: ProbeContext,
  name: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<Exchange> {
  const path = obj(ctx, name);
  const ex = await send(ctx, 'PUT', path, { body, headers: { ...ICAL, ...headers } });
  if (ok(ex) && !ctx.ownCalendar) ctx.sandbox.track(path, ctx.auth, 'discover');
  return ex;
}

/**
 * The two events the report and method probes rely on: a.ics on 2030-01-15 (put-get creates it),
 * b.ics in February (calendar-query creates it). A partial probe run seeds both up front.
 */
export const eventA = (ctx: ProbeContext) => vevent(`calspec-${ctx.runId}-a`, '20300115T100000Z', '20300115T110000Z');
export const eventB = (ctx: ProbeContext) => vevent(`calspec-${ctx.runId}-b`, '20300220T100000Z', '20300220T110000Z');

/** Store a.ics and b.ics; undefined when both are there, else the refusal to report. */
export async function seedEvents(ctx: ProbeContext): Promise<Exchange | undefined> {
  for (const [name, body] of [
    ['a.ics', eventA(ctx)],
    ['b.ics', eventB(ctx)],
  ] as const) {
    const ex = await put(ctx, name, body);
    if (!ok(ex)) return ex;
  }
  return undefined;
}
