// Helpers the probe areas share: Clark names, the result and quirk builders, and the object PUT
// that tracks what it writes into a shared calendar for cleanup.
import type { Exchange } from '../../model/exchange.js';
import type { ProfileQuirk } from '../../model/profile.js';
import { ICAL, ok, send, type ProbeContext } from '../context.js';
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
