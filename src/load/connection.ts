// One connection's request loop, written as an undici dispatch handler that is reused for every
// request it sends: no promise, stream or closure is allocated per request on the hot path.
import type { Client, Dispatcher } from 'undici';
import { Authenticator } from '../engine/auth.js';
import { classifyError } from '../engine/errors.js';
import { churnEvent } from './ical-gen.js';
import type { PlannedOp, RequestVariant } from './plan.js';
import type { ErrorClass, LabelRecorder } from './stats.js';
import type { Engine } from './engine.js';
import { validateSample } from './validate.js';

export interface OpRuntime {
  op: PlannedOp;
  bodies: (Buffer | null)[];
  /** Variant headers with the up-front Authorization (Basic/Bearer) already appended. */
  headers: string[][];
  recorder: LabelRecorder;
  deleteRecorder: LabelRecorder | undefined;
}

const CHURN_SLOTS = 8;
const MAX_SAMPLES = 5;
const PUT_EXPECT = { status: [201, 204], checks: [] };
const DELETE_EXPECT = { status: [200, 204], checks: [] };

export class Connection {
  readonly #auths: Authenticator[];
  /** Digest: Authorization differs per request, so headers are built per request. */
  #dynamicAuth: boolean;
  #live = 0;
  #variant = 0;
  // State of the request in flight.
  #intended = 0;
  #status = 0;
  #recorder!: LabelRecorder;
  #expect!: RequestVariant['expect'];
  #method = '';
  #path = '';
  #account = 0;
  #collect = false;
  #chunks: Buffer[] = [];
  #rawHeaders: Buffer[] | null = null;
  readonly #opts: Dispatcher.DispatchOptions = { path: '/', method: 'GET', headers: [] as string[], body: null, reset: false };

  constructor(readonly engine: Engine, readonly client: Client, readonly index: number) {
    this.#auths = engine.config.plan.accounts.map((c) => new Authenticator(c));
    this.#dynamicAuth = engine.config.plan.accounts.some((c) => c.kind === 'digest');
    this.#variant = index;
  }

  /** Schedule the next request, or finish. */
  next(): void {
    const e = this.engine;
    if (e.stopped || e.sent >= e.config.maxRequests) return e.connectionDone();
    const now = performance.now();
    if (e.interval === 0) return this.send(now);
    const intended = e.t0 + e.nextSlot++ * e.interval;
    if (intended >= e.endAt) return e.connectionDone();
    if (intended > now + 1) setTimeout(() => this.send(intended), intended - now);
    else this.send(intended);
  }

  private send(intended: number): void {
    const e = this.engine;
    if (intended >= e.endAt || e.stopped) return e.connectionDone();
    e.sent++;
    this.#intended = intended;
    const rt = e.pickOp();
    const opts = this.#opts;
    if (rt.op.churn) this.churn(rt);
    else {
      const i = this.#variant++ % rt.op.variants.length;
      const v = rt.op.variants[i]!;
      this.#recorder = rt.recorder;
      this.#expect = v.expect;
      this.#method = v.method;
      this.#path = v.path;
      this.#account = v.account;
      opts.body = rt.bodies[i]!;
      opts.headers = this.#dynamicAuth ? this.headers(v.headers, v.method, v.path, v.account) : rt.headers[i]!;
    }
    opts.method = this.#method as Dispatcher.HttpMethod;
    opts.path = this.#path;
    this.#status = 0;
    this.#rawHeaders = null;
    this.#collect = e.config.validateFraction > 0 && Math.random() < e.config.validateFraction;
    if (this.#collect) this.#chunks = [];
    this.client.dispatch(opts, this);
  }

  private headers(base: string[], method: string, path: string, account: number): string[] {
    const auth = this.#auths[account]?.header(method, path);
    return auth ? [...base, 'authorization', auth] : base;
  }

  /** PUT into a free slot (or update a live one), or DELETE a live one, per putRatio. */
  private churn(rt: OpRuntime): void {
    const spec = rt.op.churn!;
    const cal = spec.calendars[this.index % spec.calendars.length]!;
    const free = [...Array(CHURN_SLOTS).keys()].filter((s) => !(this.#live & (1 << s)));
    const put = this.#live === 0 || (Math.random() < spec.putRatio && free.length > 0);
    const slot = put ? (free[0] ?? 0) : Math.floor(Math.log2(this.#live & -this.#live));
    const name = `churn-${this.index}-${slot}.ics`;
    this.#path = `${cal.path}${name}`;
    this.#account = cal.account;
    this.#method = put ? 'PUT' : 'DELETE';
    this.#recorder = put ? rt.recorder : rt.deleteRecorder!;
    this.#expect = put ? PUT_EXPECT : DELETE_EXPECT;
    this.#opts.body = put ? churnEvent(`${name}@calspec.load`, this.engine.sent) : null;
    this.#opts.headers = this.headers(put ? ['content-type', 'text/calendar; charset=utf-8'] : [], this.#method, this.#path, cal.account);
    if (put) this.#live |= 1 << slot;
    else this.#live &= ~(1 << slot);
  }

  // --- undici dispatch handler (legacy callback API: no controller objects per request) ---
  onConnect(): void {}

  onHeaders(status: number, rawHeaders: Buffer[] | null): boolean {
    this.#status = status;
    if (this.#collect || status === 401) this.#rawHeaders = rawHeaders;
    return true;
  }

  onData(chunk: Buffer): boolean {
    // Copied: only 1% of responses by default, and the copy cannot alias a reused buffer.
    if (this.#collect) this.#chunks.push(Buffer.from(chunk));
    return true;
  }

  onComplete(): void {
    this.finish(undefined);
  }

  onError(error: Error): void {
    const kind = classifyError(error, this.engine.config.timeoutMs).kind;
    this.finish(kind === 'timeout' ? 'timeout' : kind === 'reset' ? 'reset' : 'other');
  }

  private finish(transport: ErrorClass | undefined): void {
    const e = this.engine;
    const done = performance.now();
    const status = this.#status;
    let error: ErrorClass | undefined = transport;
    if (!error && !this.#expect.status.includes(status)) {
      error = status >= 500 ? '5xx' : status >= 400 ? '4xx' : 'other';
      if (status === 401) this.learnChallenge();
    }
    if (!error && this.#collect) {
      const problem = validateSample(e.config.plan.baseUrl, this.#method, this.#path, status, this.#rawHeaders, this.#chunks, this.#expect);
      if (problem) {
        error = 'wrong-body';
        if (e.samples.length < MAX_SAMPLES) e.samples.push(`${this.#recorder.label}: ${problem}`);
      }
      this.#chunks = [];
    }
    if (this.#intended >= e.measureFrom) {
      this.#recorder.record(Math.round((done - this.#intended) * 1000), status, error);
      e.timeline.record((done - e.measureFrom) / 1000, error !== undefined);
      e.lastDone = done;
    } else e.warmupRequests++;
    this.next();
  }

  /** Digest: a 401 carries the challenge; later requests of this connection answer it. */
  private learnChallenge(): void {
    const raw = this.#rawHeaders ?? [];
    for (let i = 0; i + 1 < raw.length; i += 2) {
      if (String(raw[i]).toLowerCase() === 'www-authenticate' && this.#auths[this.#account]?.challenge(String(raw[i + 1]))) this.#dynamicAuth = true;
    }
  }
}
