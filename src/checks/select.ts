// Shared helpers for checks that look into a multistatus: choosing the response a check is about.
import type { CheckContext } from './types.js';
import type { Multistatus, MultistatusResponse } from '../xml/multistatus.js';
import { sameHref } from '../xml/href.js';

/** Status that applies to a whole response: its own status, else the status shared by all its propstats. */
export function responseStatus(response: MultistatusResponse): number | null {
  if (response.status !== null) return response.status;
  const statuses = new Set(response.propstats.map((p) => p.status));
  return statuses.size === 1 ? [...statuses][0]! : null;
}

/**
 * The response a check is about: the one with the given href; without an href, the only response,
 * else the one for the request URL itself.
 */
export function pickResponse(ms: Multistatus, ctx: CheckContext, href?: string): MultistatusResponse | undefined {
  if (href !== undefined) return ms.responses.find((r) => r.hrefs.some((h) => sameHref(h, href, ctx.baseUrl)));
  if (ms.responses.length === 1) return ms.responses[0];
  const own = ctx.exchange.request.url;
  return ms.responses.find((r) => sameHref(r.href, own, ctx.baseUrl)) ?? ms.responses[0];
}

export function listHrefs(ms: Multistatus): string {
  return ms.responses.map((r) => `${r.href} (${responseStatus(r) ?? 'mixed'})`).join(', ') || '(no responses)';
}
