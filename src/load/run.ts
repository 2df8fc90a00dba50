// One load run end to end: seed a sandbox, build the plan, run the engines, clean up (also after
// Ctrl-C or a failure), and assemble LoadResults.
import { newRunId } from '../dav/sandbox.js';
import type { Credentials } from '../dav/auth.js';
import type { LoadResults } from '../model/load.js';
import { VERSION } from '../version.js';
import { buildPlan } from './plan.js';
import { CLOSED_MODEL_WARNING, resultsFromPartials, type ResultsMeta } from './results.js';
import { cleanup, seed, type SeedResult } from './seed.js';
import type { Threshold } from './thresholds.js';
import { slice, startLoad } from './workers.js';
import type { Workload } from './workload.js';

export interface LoadOptions {
  target: string;
  targetName?: string;
  accounts: Credentials[];
  workload: Workload;
  model: 'closed' | 'open';
  /** Total over all shards. */
  connections: number;
  /** Open model, total over all shards. */
  rate?: number;
  durationMs: number;
  warmupMs: number;
  /** Total over all shards, warm-up included. */
  maxRequests: number;
  workers: number;
  shard?: { index: number; count: number };
  validateFraction: number;
  timeoutMs: number;
  /** TLS trust for https targets (seeding, cleanup and the measured connections alike). */
  tls?: { ca?: string; insecure?: boolean };
  thresholds: Threshold[];
  signal: AbortSignal;
  runId?: string;
  progress?: (line: string) => void;
}

export async function runLoad(o: LoadOptions): Promise<LoadResults> {
  const runId = o.runId ?? newRunId();
  const shard = o.shard ?? { index: 0, count: 1 };
  const prefix = `calspec-${runId}${o.shard ? `-s${shard.index}` : ''}`;
  const connections = slice(o.connections, shard.count, shard.index);
  const startedAt = new Date().toISOString();
  const warnings: string[] = o.model === 'closed' ? [CLOSED_MODEL_WARNING] : [];
  let seeded: SeedResult | undefined;
  let partials: Awaited<ReturnType<typeof startLoad>['done']> = [];
  let workers = 0;
  try {
    await seed({
      target: o.target,
      accounts: o.accounts,
      plan: o.workload.seed,
      prefix,
      timeoutMs: o.timeoutMs,
      signal: o.signal,
      ...(o.tls ? { tls: o.tls } : {}),
      onSandbox: (s) => (seeded = s),
      ...(o.progress ? { progress: o.progress } : {}),
    });
    if (!o.signal.aborted && seeded && connections > 0) {
      const plan = buildPlan(
        o.target,
        o.accounts,
        o.workload.operations,
        seeded.calendars,
        o.workload.seed,
        seeded.syncSupported,
      );
      warnings.push(...plan.notes);
      workers = Math.max(1, Math.min(o.workers, connections));
      o.progress?.(
        `load: ${o.model} model, ${connections} connections on ${workers} worker(s), ` +
          `${(o.warmupMs / 1000).toFixed(1)} s warm-up + ${(o.durationMs / 1000).toFixed(1)} s`,
      );
      const running = startLoad(
        {
          plan,
          connections,
          connectionBase: o.connections * shard.index,
          model: o.model,
          ...(o.rate !== undefined ? { rate: o.rate / shard.count } : {}),
          startAt: Date.now() + 50,
          warmupMs: o.warmupMs,
          durationMs: o.durationMs,
          maxRequests: slice(o.maxRequests, shard.count, shard.index),
          timeoutMs: o.timeoutMs,
          ...(o.tls ? { tls: o.tls } : {}),
          validateFraction: o.validateFraction,
        },
        workers,
      );
      const onAbort = () => running.stop();
      o.signal.addEventListener('abort', onAbort, { once: true });
      try {
        partials = await running.done;
      } finally {
        o.signal.removeEventListener('abort', onAbort);
      }
    }
  } finally {
    if (seeded) {
      o.progress?.(`cleanup: removing ${seeded.sandbox.size()} sandbox calendar(s)`);
      const leftover = await cleanup(seeded);
      if (leftover.length) warnings.push(`cleanup could not remove: ${leftover.join(', ')}`);
    }
  }
  const sent = partials.reduce((s, p) => s + p.labels.reduce((n, l) => n + l.requests, 0) + p.warmupRequests, 0);
  const reconnects = partials.reduce((s, p) => s + p.reconnects, 0);
  // A server that closes after each response (HTTP/1.0, Connection: close) makes every request pay
  // for a new TCP (and TLS) handshake: worth knowing before comparing its numbers with another's.
  if (sent > 0 && reconnects >= sent / 2)
    warnings.push(
      `the server closed the connection after most responses: ` +
        `${reconnects} reconnects for ${sent} requests, so latencies include connection setup`,
    );
  if (sent >= slice(o.maxRequests, shard.count, shard.index))
    warnings.push(`stopped at the request cap (--max-requests ${o.maxRequests})`);
  const meta: ResultsMeta = {
    tool: { name: 'calspec', version: VERSION },
    runId,
    startedAt,
    finishedAt: new Date().toISOString(),
    target: { url: o.target, ...(o.targetName ? { name: o.targetName } : {}) },
    workload: o.workload.name,
    model: o.model,
    connections,
    ...(o.rate !== undefined ? { rate: o.rate / shard.count } : {}),
    workers,
    ...(o.shard ? { shard: o.shard } : {}),
    // The planned duration unless the run ended early (request cap, Ctrl-C): rates use this.
    durationMs: Math.round(Math.max(...partials.map((p) => p.measuredMs), 0) || o.durationMs),
    warmupMs: o.warmupMs,
    interrupted: o.signal.aborted,
    warnings,
  };
  return resultsFromPartials(meta, partials, o.thresholds);
}
