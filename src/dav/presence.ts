// Removing a resource for sure: a DELETE's answer is not proof (a server may answer 2xx and keep
// it, or the answer may be lost), so what calspec removes is looked at again afterwards. A
// Depth 0 PROPFIND works for objects and collections alike; 404/410 is the only proof of absence.
import type { Authenticator } from './auth.js';
import { cleanupHeadersFor } from './cleanup-headers.js';
import type { DavClient } from './http.js';
import { parseMultistatus } from '../xml/multistatus.js';

export type Presence = 'present' | 'gone' | 'unknown';

const PROBE = `<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/></d:prop></d:propfind>`;

export interface Removal {
  /** Verified absent at the end. */
  gone: boolean;
  /** calspec's own DELETE answered 2xx (for a collection: its members went with it). */
  deleted: boolean;
  /** Why it is not known to be gone. */
  why?: string;
}

export async function presence(
  client: DavClient,
  url: string,
  auth: Authenticator | undefined,
): Promise<{ state: Presence; why?: string }> {
  const look = () =>
    client.send({
      method: 'PROPFIND',
      url,
      headers: { depth: '0', 'content-type': 'application/xml; charset=utf-8' },
      body: PROBE,
      ...(auth ? { auth } : {}),
    });
  let ex = await look();
  // A hiccup (5xx, reset) says nothing either way: look again a few times, briefly.
  for (let retry = 0; retry < 4 && (!ex.response || ex.response.status >= 500); retry++) {
    await new Promise((resolve) => setTimeout(resolve, 100 * (retry + 1)));
    ex = await look();
  }
  const s = ex.response?.status;
  if (s === 404 || s === 410) return { state: 'gone' };
  // Some servers (Cyrus) answer 207 for a missing resource, with 404 as the response's own status.
  if (s === 207 && missingIn(ex.response!.body)) return { state: 'gone' };
  if (s !== undefined && s >= 200 && s < 300) return { state: 'present' };
  return { state: 'unknown', why: s === undefined ? (ex.error ?? 'no answer') : `PROPFIND answered ${s}` };
}

/** A multistatus whose responses all carry a response-level 404/410 and no properties. */
function missingIn(body: string): boolean {
  try {
    const { responses } = parseMultistatus(body);
    return (
      responses.length > 0 && responses.every((r) => (r.status === 404 || r.status === 410) && r.propstats.length === 0)
    );
  } catch {
    return false;
  }
}

/**
 * Make sure `url` is gone. With `checkFirst` (something that may never have been created) a
 * PROPFIND comes first and a DELETE only if it is there; otherwise DELETE, then PROPFIND.
 */
export async function removeVerified(
  client: DavClient,
  url: string,
  auth: Authenticator | undefined,
  opts: { checkFirst?: boolean; deadline?: number; owner?: Authenticator } = {},
): Promise<Removal> {
  const first = await removeAs(client, url, auth, opts);
  // What another user created (or tried to) in this account: that user may not even see it (a
  // server may answer 403 or a redirect), so the account holder looks, and deletes if it is there.
  if (first.gone || !opts.owner || opts.owner === auth || (opts.deadline && Date.now() > opts.deadline)) return first;
  const second = await removeAs(client, url, opts.owner, { ...opts, checkFirst: true });
  return second.gone ? { ...second, deleted: first.deleted || second.deleted } : first;
}

async function removeAs(
  client: DavClient,
  url: string,
  auth: Authenticator | undefined,
  opts: { checkFirst?: boolean; deadline?: number },
): Promise<Removal> {
  const deadline = opts.deadline ?? Date.now() + 30_000;
  if (opts.checkFirst) {
    const before = await presence(client, url, auth);
    if (before.state === 'gone') return { gone: true, deleted: false };
  }
  const headers = cleanupHeadersFor(url);
  const del = async () =>
    client.send({ method: 'DELETE', url, ...(headers ? { headers } : {}), ...(auth ? { auth } : {}) });
  let ex = await del();
  // A server hiccup (5xx, reset) must not leave data behind: retry twice, briefly.
  for (let retry = 0; retry < 2 && (!ex.response || ex.response.status >= 500) && Date.now() < deadline; retry++) {
    await new Promise((resolve) => setTimeout(resolve, 200 * (retry + 1)));
    ex = await del();
  }
  const s = ex.response?.status;
  const deleted = s !== undefined && s >= 200 && s < 300;
  const after = await presence(client, url, auth);
  if (after.state === 'gone') return { gone: true, deleted };
  const answer = s === undefined ? (ex.error ?? 'no answer') : `DELETE answered ${s}`;
  return {
    gone: false,
    deleted,
    why: after.state === 'present' ? `${answer}, still there` : `${answer}; ${after.why ?? 'not verified'}`,
  };
}
