// Following redirects for requests that ask for it (followRedirects). Kept apart from http.ts so
// the rules can be read and tested on their own: which statuses are followed (RFC 9110 §15.4),
// what method and body the next hop carries, that credentials never go to another origin, that
// every hop is recorded, and that a loop or a long chain ends in a one-line error, not a hang.
import type { Exchange, RedirectHop } from '../model/exchange.js';
import { isSecretHeader } from '../model/secrets.js';
import type { DavRequest } from './http.js';
import { asSent, resolveReference, sameOrigin } from './target.js';

export { sameOrigin } from './target.js';

/** At most this many redirects are followed (six requests); one more ends the chain with an error. */
export const MAX_REDIRECTS = 5;

const FOLLOWED = new Set([301, 302, 303, 307, 308]);

/** Headers that describe a body; dropped with it when a redirect turns the request into GET. */
const BODY_HEADERS = new Set([
  'content-type',
  'content-length',
  'content-encoding',
  'content-language',
  'content-location',
]);

/**
 * 303 means "GET the result" (HEAD stays HEAD). 301 and 302 keep the method, with POST → GET as the
 * only historical exception (RFC 9110 §15.4.2-3): PROPFIND, REPORT, DELETE... are resent as they
 * were. 307 and 308 never change it.
 */
export function redirectMethod(status: number, method: string): string {
  if (status === 303) return method.toUpperCase() === 'HEAD' ? method : 'GET';
  if ((status === 301 || status === 302) && method.toUpperCase() === 'POST') return 'GET';
  return method;
}

/** Send `first`, following redirects with `sendOnce` (one request plus its auth challenge). */
export async function followRedirects(
  first: DavRequest,
  sendOnce: (req: DavRequest) => Promise<Exchange>,
): Promise<Exchange> {
  const hops: RedirectHop[] = [];
  const visited: string[] = [];
  const requested = new Set<string>();
  let req = first;
  for (;;) {
    const exchange = await sendOnce(req);
    const res = exchange.response;
    visited.push(exchange.request.url);
    requested.add(`${exchange.request.method} ${exchange.request.url}`);
    if (!res || exchange.error || !FOLLOWED.has(res.status) || res.redirectedTo === undefined) {
      if (hops.length) exchange.redirects = hops;
      return exchange;
    }
    const hop: RedirectHop = { ...res, request: exchange.request, timings: exchange.timings };
    hops.push(hop);
    const fail = (error: string): Exchange => ({
      request: exchange.request,
      timings: exchange.timings,
      error,
      redirects: hops,
    });
    let next: string;
    let nextSent: string;
    try {
      next = resolveReference(res.redirectedTo, req.url);
      nextSent = asSent(next);
    } catch {
      return fail(`redirect from ${exchange.request.url} to an unusable Location: ${res.redirectedTo}`);
    }
    hop.crossOrigin = !sameOrigin(req.url, next);
    const method = redirectMethod(res.status, req.method);
    const chain = [...visited, nextSent].join(' → ');
    if (requested.has(`${method} ${nextSent}`)) return fail(`redirect loop: ${chain}`);
    if (hops.length > MAX_REDIRECTS) return fail(`too many redirects (more than ${MAX_REDIRECTS}): ${chain}`);
    if (first.allowRedirect && !first.allowRedirect(method, next))
      return fail(`redirect refused: ${method} ${nextSent} is not allowed (from ${exchange.request.url})`);
    req = nextRequest(req, res.status, method, next, hop.crossOrigin);
  }
}

function nextRequest(req: DavRequest, status: number, method: string, url: string, crossOrigin: boolean): DavRequest {
  const dropBody = status === 303 || method !== req.method;
  const next: DavRequest = { ...req, method, url };
  let headers = Object.entries(req.headers ?? {});
  if (dropBody) {
    delete next.body;
    headers = headers.filter(([name]) => !BODY_HEADERS.has(name.toLowerCase()));
  }
  if (crossOrigin) {
    // Credentials belong to the origin they were given for; once withheld, they stay withheld
    // for the rest of the chain (the Authenticator is dropped, so a 401 there is not answered).
    delete next.auth;
    headers = headers.filter(([name]) => !isSecretHeader(name));
  }
  next.headers = Object.fromEntries(headers);
  return next;
}
