// The load driver of one worker (the measuring loop): N connections (one keep-alive HTTP/1.1 socket each, one
// request at a time; see wire.ts for why not undici), closed or open model, warm-up excluded,
// duration and request budget always enforced.
//
// Closed model: each connection sends its next request as soon as the previous one completes.
// Open model: requests have intended send times at a constant rate (slot k at t0 + k/rate);
// a free connection takes the next slot, waits if it is early, and latency is measured from the
// intended time. When the server stalls, the slots that should have been sent meanwhile are
// charged the stall, so coordinated omission cannot hide it (wrk2's approach, without a queue).
import { connect as tcpConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { staticAuth, type LoadPlan } from './plan.js';
import { Connection, type OpRuntime } from './connection.js';
import { LabelRecorder, Timeline, type Partial } from './stats.js';
import { serializeRequest } from './wire.js';

export interface LoadDriverConfig {
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
  /** Largest response body accepted (bytes; default 16 MiB); larger ones are errors of class 'other'. */
  maxBody?: number;
  /**
   * https: targets. Certificates are verified unless `insecure`; `ca` (PEM) is trusted instead of the default roots,
   * as in src/dav/http.ts.
   */
  tls?: { ca?: string; insecure?: boolean };
}

/** Where the sockets go, from the base URL. */
interface Target {
  secure: boolean;
  /** Host name or address as in the URL, without IPv6 brackets. */
  hostname: string;
  port: number;
}

export class LoadDriver {
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
  /** Set when the end-of-run grace expires: connections stop instead of taking leftover slots. */
  over = false;
  /** Sockets opened after a connection's first (server closed, Connection: close, errors). */
  reconnects = 0;
  /** The Host header value: host[:port] as in the URL. */
  readonly host: string;
  readonly #target: Target;
  #connections: Connection[] = [];
  #active = 0;
  #done!: () => void;

  constructor(readonly config: LoadDriverConfig) {
    this.interval = config.model === 'open' ? 1000 / (config.rate ?? 1) : 0;
    this.timeline = new Timeline(config.durationMs / 1000);
    const recorder = (label: string) => {
      const r = this.recorders.get(label) ?? new LabelRecorder(label);
      this.recorders.set(label, r);
      return r;
    };
    const url = new URL(config.plan.baseUrl);
    this.host = url.host;
    this.#target = {
      secure: url.protocol === 'https:',
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
    };
    const auths = config.plan.accounts.map(staticAuth);
    const total = config.plan.ops.reduce((s, o) => s + o.weight, 0) || 1;
    let acc = 0;
    this.cumulative = new Float64Array(config.plan.ops.length);
    this.ops = config.plan.ops.map((op, i) => {
      acc += op.weight / total;
      this.cumulative[i] = acc;
      const bodies = op.variants.map((v) => (v.body === undefined ? null : Buffer.from(v.body)));
      const headers = op.variants.map((v) => withAuth(v.headers, undefined));
      return {
        op,
        // Whole requests serialised once: the hot path writes one of these Buffers per request.
        requests: op.variants.map((v, k) =>
          serializeRequest(v.method, v.path, this.host, withAuth(v.headers, auths[v.account]), bodies[k]!),
        ),
        headers,
        bodies,
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
    const finished = new Promise<void>((resolve) => (this.#done = resolve));
    // Timers may fire up to a millisecond early against performance.now() (libuv's cached loop
    // time): wait until t0 has really passed, or the first requests would count as warm-up.
    for (let wait = this.t0 - performance.now(); wait > 0; wait = this.t0 - performance.now())
      await new Promise((r) => setTimeout(r, wait));
    this.#active = this.config.connections;
    for (let i = 0; i < this.config.connections; i++)
      this.#connections.push(new Connection(this, this.config.connectionBase + i));
    if (this.#active === 0) this.#done();
    this.#connections.forEach((c) => c.next());
    // A stalled server must not hold the run past its end: in-flight requests get a grace
    // period, then their sockets are destroyed and they count as timeouts.
    const grace = setTimeout(
      () => {
        this.over = true;
        this.#connections.forEach((c) => c.abort('timeout'));
      },
      this.endAt - performance.now() + Math.min(this.config.timeoutMs, 5000),
    );
    await finished;
    clearTimeout(grace);
    return {
      labels: [...this.recorders.values()].map((r) => r.partial()),
      timeline: this.timeline.points(),
      warmupRequests: this.warmupRequests,
      reconnects: this.reconnects,
      samples: this.samples,
      measuredMs: Math.max(0, this.lastDone - this.measureFrom),
    };
  }

  stop(): void {
    this.stopped = true;
    // Stop now, not at the end of the run: in-flight requests are abandoned after a short grace.
    setTimeout(() => this.#connections.forEach((c) => c.abort('other')), 2000).unref();
  }

  /** A new socket to the target; TCP_NODELAY on, since every request is one small write. */
  openSocket(): Socket {
    const t = this.#target;
    let socket: Socket;
    if (t.secure) {
      const tls = this.config.tls;
      socket = tlsConnect({
        host: t.hostname,
        port: t.port,
        // SNI takes names only (RFC 6066); the certificate is checked against the URL's host.
        ...(isIP(t.hostname) ? {} : { servername: t.hostname }),
        ...(tls?.ca ? { ca: tls.ca } : {}),
        rejectUnauthorized: !tls?.insecure,
        ALPNProtocols: ['http/1.1'],
      });
    } else socket = tcpConnect({ host: t.hostname, port: t.port });
    socket.setNoDelay(true);
    return socket;
  }

  connectionDone(): void {
    if (--this.#active === 0) this.#done();
  }
}

function withAuth(headers: string[], auth: string | undefined): string[] {
  return ['user-agent', 'calspec-load', ...headers, ...(auth ? ['authorization', auth] : [])];
}
