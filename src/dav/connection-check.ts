// The connection check at the start of a run: a few OPTIONS requests on fresh connections and on
// one reused connection. Some servers stall seconds on every reused keep-alive connection; a run
// against them takes hours with keep-alive and minutes without it. When reused connections are
// much slower, the client's keep-alive is switched off for the rest of the run.
//
// Reusing a connection is HTTP/1.1's default (persistence), not a requirement a server breaks by
// being slow on it: this is a performance decision, never a verdict.
import type { ConnectionInfo } from '../model/result.js';
import type { Authenticator } from './auth.js';
import type { DavClient } from './http.js';

export interface ConnectionCheckOptions {
  /** Samples per kind of connection (default 3). */
  samples?: number;
  /** Reused is "much slower" above this many times the fresh median (default 4)... */
  factor?: number;
  /** ...and at least this many ms more (default 500). */
  marginMs?: number;
  /** A fresh sample slower than this ends the check: the server is slow whatever the connection (default 2000). */
  freshLimitMs?: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/**
 * Measures, decides and (when reused connections are much slower) sets `client.keepAlive = false`.
 * Must run before any other request of the client, so that no idle connection exists and the
 * fresh samples really get a connection of their own; it leaves no idle connection behind either.
 * Bounded: a few fast requests on a normal server; on a stalling one each reused sample gives up
 * at the threshold plus half a second.
 */
export async function checkConnection(
  client: DavClient,
  url: string,
  auth: Authenticator | undefined,
  opts: ConnectionCheckOptions = {},
): Promise<ConnectionInfo> {
  const samples = opts.samples ?? 3;
  const factor = opts.factor ?? 4;
  const marginMs = opts.marginMs ?? 500;
  const freshLimitMs = opts.freshLimitMs ?? 2000;
  const time = async (closeConnection: boolean, timeoutMs: number) => {
    // undici hands a finished connection back to its pool one event-loop turn later; without the
    // pause the next request would open a second connection instead of reusing the first.
    await new Promise((resolve) => setTimeout(resolve, 1));
    const ex = await client.send({
      method: 'OPTIONS',
      url,
      ...(auth ? { auth } : {}),
      closeConnection,
      timeoutMs,
    });
    return { ms: ex.timings.totalMs, ok: ex.response !== undefined, error: ex.error };
  };
  const inconclusive = (why: string): ConnectionInfo => ({
    keepAlive: client.keepAlive,
    decidedBy: 'none',
    reason: `keep-alive on (connection check inconclusive: ${why})`,
  });

  const fresh: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t = await time(true, freshLimitMs);
    if (!t.ok) return inconclusive(`OPTIONS: ${t.error ?? 'no response'}`);
    fresh.push(t.ms);
    if (t.ms > freshLimitMs / 2) return inconclusive(`fresh connections already take ${formatMs(t.ms)}`);
  }
  const freshMedian = median(fresh);
  const threshold = Math.max(freshMedian * factor, freshMedian + marginMs);
  const limit = Math.round(threshold + 500);

  // Reused samples: each goes on the connection the previous request left open. A sample that
  // gives up destroys its connection, so the next one first opens a new connection (not timed).
  const reused: number[] = [];
  let timedOut = 0;
  let open = false;
  for (let i = 0; i < samples; i++) {
    if (!open) {
      const warm = await time(false, freshLimitMs);
      if (!warm.ok) return inconclusive(`OPTIONS: ${warm.error ?? 'no response'}`);
    }
    const slowSoFar = reused.filter((ms) => ms > threshold).length;
    const fastSoFar = reused.length - slowSoFar;
    // The last sample closes its connection, so no idle connection outlives the check.
    const last = i === samples - 1 || slowSoFar + 1 > samples / 2 || fastSoFar + 1 > samples / 2;
    const t = await time(last, limit);
    open = t.ok && !last;
    if (t.ok) reused.push(t.ms);
    else {
      timedOut++;
      reused.push(limit);
    }
    const slow = reused.filter((ms) => ms > threshold).length;
    // A majority decides the median: stop as soon as it is known.
    if (slow > samples / 2 || reused.length - slow > samples / 2) break;
  }
  const reusedMedian = median(reused);
  const measured = {
    freshMedianMs: Math.round(freshMedian),
    reusedMedianMs: Math.round(reusedMedian),
    ...(timedOut ? { reusedTimedOut: timedOut } : {}),
  };
  if (reusedMedian <= threshold) {
    return {
      keepAlive: true,
      decidedBy: 'check',
      reason:
        `keep-alive on (reused connections answer in ${formatMs(reusedMedian)}, ` +
        `fresh ones in ${formatMs(freshMedian)})`,
      ...measured,
    };
  }
  client.keepAlive = false;
  const reusedText = timedOut ? `gave no answer within ${formatMs(limit)}` : `answer in ${formatMs(reusedMedian)}`;
  return {
    keepAlive: false,
    decidedBy: 'check',
    reason:
      `reused connections ${reusedText}, fresh ones in ${formatMs(freshMedian)}: ` +
      `switching keep-alive off (--no-keep-alive)`,
    ...measured,
  };
}

/**
 * The run's connection policy: off by --no-keep-alive, else measured (unless the caller brought its
 * own dispatcher, e.g. a test's MockAgent, whose connections are not this module's business).
 */
export async function connectionPolicy(
  client: DavClient,
  url: string,
  auth: Authenticator | undefined,
  opts: { keepAlive?: boolean; check?: boolean },
): Promise<ConnectionInfo | undefined> {
  if (opts.keepAlive === false) {
    client.keepAlive = false;
    return { keepAlive: false, decidedBy: 'option', reason: 'keep-alive off (--no-keep-alive)' };
  }
  return opts.check === false ? undefined : checkConnection(client, url, auth);
}
