// Extra request headers a server profile asks calspec to send with the DELETEs of its own
// clean-up (never with a scenario's requests: verdicts describe the server as configured). Nextcloud,
// for one, moves a deleted calendar into a trash bin where it stays listed in the calendar home;
// its `X-NC-CalDAV-No-Trashbin: 1` makes the DELETE final, so the account ends as it was found.
// The engine builds its DAV client itself, so whoever loads the profile registers the headers per
// target URL, and the clean-up code looks them up by the URL it deletes.
import type { ServerProfile } from '../model/profile.js';

const registry = new Map<string, Record<string, string>>();
/** Per target: the trash collection below a calendar home (profile `trashCollection`). */
const trashes = new Map<string, string>();

/** Header names and values that may go on the wire (RFC 9110 §5.1, §5.5), so a profile cannot inject. */
export function validHeaders(headers: Record<string, string>): string | undefined {
  for (const [name, value] of Object.entries(headers)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) return `invalid header name '${name}'`;
    if (/[\r\n\0]/.test(value)) return `invalid value for header '${name}'`;
    if (/^(authorization|host|content-length|transfer-encoding|connection|cookie)$/i.test(name))
      return `header '${name}' is calspec's to set`;
  }
  return undefined;
}

/** Remember the profile's clean-up DELETE headers for everything under `target`. */
export function registerCleanupHeaders(
  target: string,
  profile: Pick<ServerProfile, 'deleteHeaders' | 'trashCollection'> | undefined,
) {
  const prefix = scope(target);
  if (profile?.trashCollection) trashes.set(prefix, profile.trashCollection);
  else trashes.delete(prefix);
  const headers = profile?.deleteHeaders;
  if (!headers || Object.keys(headers).length === 0) {
    registry.delete(prefix);
    return;
  }
  const bad = validHeaders(headers);
  if (bad) throw new Error(`profile deleteHeaders: ${bad}`);
  registry.set(prefix, Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])));
}

/** The headers for a clean-up DELETE of `url` (the longest registered target that contains it). */
export function cleanupHeadersFor(url: string): Record<string, string> | undefined {
  let best: string | undefined;
  for (const prefix of registry.keys())
    if (url.startsWith(prefix) && (best === undefined || prefix.length > best.length)) best = prefix;
  return best === undefined ? undefined : { ...registry.get(best)! };
}

/** The profile's trash collection (relative to a calendar home) for `url`'s target, if any. */
export function trashCollectionFor(url: string): string | undefined {
  for (const [prefix, trash] of trashes) if (url.startsWith(prefix)) return trash;
  return undefined;
}

/** Forget every registration (tests). */
export function clearCleanupHeaders(): void {
  registry.clear();
  trashes.clear();
}

// The origin alone: a run's URLs (principal, home) need not lie under the URL discovery started at.
function scope(target: string): string {
  try {
    return `${new URL(target).origin}/`;
  } catch {
    return target;
  }
}
