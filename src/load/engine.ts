// The measuring engine of one worker: N connections (one undici Client each, pipelining 1,
// keep-alive forced with `reset: false`), closed or open model, warm-up excluded, duration and
// request budget always enforced.
//
// Closed model: each connection sends its next request as soon as the previous one completes.
// Open model: requests have intended send times at a constant rate (slot k at t0 + k/rate);
// a free connection takes the next slot, waits if it is early, and latency is measured from the
// intended time. When the server stalls, the slots that should have been sent meanwhile are
// charged the stall, so coordinated omission cannot hide it (wrk2's approach, without a queue).
import { Client } from 'undici';
import { staticAuth, type LoadPlan } from './plan.js';
import { Connection, type OpRuntime } from './connection.js';
import { LabelRecorder, Timeline, type Partial } from './stats.js';

export interface EngineConfig {
  plan: LoadPlan;
  connections: number;
  /** Connection numbering offset, so churn hrefs differ between workers and shards. */
  connectionBase: number;
  model: 'closed' | 'open';
  /** Open model: requests per second for this engine. */
  rate?: number;
  /** Epoch ms at which warm-up starts (shared by all workers of a run). */
  startAt: number;
  warmupMs: number;
  durationMs: number;
  /** Hard cap on requests sent by this engine, warm-up included. */
  maxRequests: number;
  timeoutMs: number;
  validateFraction: number;
}

export class Engine {
  readonly recorders = new Map<string, LabelRecorder>();
  readonly ops: OpRuntime[];
  readonly cumulative: Float64Array;
  readonly timeline: Timeline;
  /** performance.now() values, fixed when run() starts. */
  t0 = 0;
  measureFrom = 0;
  endAt = 0;
  readonly interval: number;
  nextSlot = 0;
  sent = 0;
  warmupRequests = 0;
  stopped = false;
  lastDone = 0;
  samples: string[] = [];
  #clients: Client[] = [];
  #active = 0;
  #done!: () => void;

  constructor(readonly config: EngineConfig) {
    this.interval = config.model === 'open' ? 1000 / (config.rate ?? 1) : 0;
    this.timeline = new Timeline(config.durationMs / 1000);
    const recorder = (label: string) => {
      const r = this.recorders.get(label) ?? new LabelRecorder(label);
      this.recorders.set(label, r);
      return r;
    };
    const auths = config.plan.accounts.map(staticAuth);
    const total = config.plan.ops.reduce((s, o) => s + o.weight, 0) || 1;
    let acc = 0;
    this.cumulative = new Float64Array(config.plan.ops.length);
    this.ops = config.plan.ops.map((op, i) => {
      acc += op.weight / total;
      this.cumulative[i] = acc;
      return {
        op,
        // Bodies become Buffers once: undici then writes them without re-encoding each time.
        bodies: op.variants.map((v) => (v.body === undefined ? null : Buffer.from(v.body))),
        headers: op.variants.map((v) => withAuth(v.headers, auths[v.account])),
        recorder: op.churn ? recorder(`${op.label}.put`) : recorder(op.label),
        deleteRecorder: op.churn ? recorder(`${op.label}.delete`) : undefined,
      };
    });
  }

  pickOp(): OpRuntime {
    const r = Math.random();
    const c = this.cumulative;
    for (let i = 0; i < c.length; i++) if (r < c[i]!) return this.ops[i]!;
    return this.ops[this.ops.length - 1]!;
  }

  /** @param startAt epoch ms to start at; workers get it once all of them are ready. */
  async run(startAt = this.config.startAt): Promise<Partial> {
    this.t0 = performance.now() + (startAt - Date.now());
    this.measureFrom = this.t0 + this.config.warmupMs;
    this.endAt = this.measureFrom + this.config.durationMs;
    const origin = new URL(this.config.plan.baseUrl).origin;
    const finished = new Promise<void>((resolve) => (this.#done = resolve));
    const wait = this.t0 - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    for (let i = 0; i < this.config.connections; i++) {
      const client = new Client(origin, { pipelining: 1, headersTimeout: this.config.timeoutMs, bodyTimeout: this.config.timeoutMs, keepAliveTimeout: 60_000 });
      this.#clients.push(client);
      this.#active++;
      new Connection(this, client, this.config.connectionBase + i).next();
    }
    if (this.#active === 0) this.#done();
    // A stalled server must not hold the run past its end: give in-flight requests a grace period.
    const grace = setTimeout(() => this.#clients.forEach((c) => void c.destroy().catch(() => undefined)), this.endAt - performance.now() + Math.min(this.config.timeoutMs, 5000));
    await finished;
    clearTimeout(grace);
    await Promise.all(this.#clients.map((c) => c.close().catch(() => undefined)));
    return {
      labels: [...this.recorders.values()].map((r) => r.partial()),
      timeline: this.timeline.points(),
      warmupRequests: this.warmupRequests,
      samples: this.samples,
      measuredMs: Math.max(0, this.lastDone - this.measureFrom),
    };
  }

  stop(): void {
    this.stopped = true;
    // Stop now, not at the end of the run: in-flight requests are abandoned after a short grace.
    setTimeout(() => this.#clients.forEach((c) => void c.destroy().catch(() => undefined)), 2000).unref();
  }

  connectionDone(): void {
    if (--this.#active === 0) this.#done();
  }
}

function withAuth(headers: string[], auth: string | undefined): string[] {
  return ['user-agent', 'calspec-load', ...headers, ...(auth ? ['authorization', auth] : [])];
}
