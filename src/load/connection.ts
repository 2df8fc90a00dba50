// One connection's request loop: pick the next operation and variant, send its pre-serialised
// bytes over this connection's Wire (wire.ts: its own HTTP/1.1 socket, not undici), judge and
// record the answer, go on. No promise, stream or closure is allocated per request.
import { Authenticator } from '../dav/auth.js';
import { churnEvent } from './ical-gen.js';
import type { PlannedOp, RequestVariant } from './plan.js';
import type { ErrorClass, LabelRecorder } from './stats.js';
import type { LoadDriver } from './driver.js';
import { validateSample } from './validate.js';
import { serializeRequest, Wire } from './wire.js';

export interface OpRuntime {
  op: PlannedOp;
  /** The whole request (head and body) per variant, with the up-front Authorization. */
  requests: Buffer[];
  /** Variant headers with user-agent but without Authorization: Digest adds its own per request. */
  headers: string[][];
  bodies: (Buffer | null)[];
  recorder: LabelRecorder;
  deleteRecorder: LabelRecorder | undefined;
}

const CHURN_SLOTS = 8;
const MAX_SAMPLES = 5;
const PUT_EXPECT = { status: [201, 204], checks: [] };
const DELETE_EXPECT = { status: [200, 204], checks: [] };

export class Connection {
  readonly #auths: Authenticator[];
  /** Digest: Authorization differs per request, so the request head is built per request. */
  #dynamicAuth: boolean;
  #live = 0;
  #variant = 0;
  readonly #wire: Wire;
  // The request in flight.
  #request: Buffer = Buffer.alloc(0);
  #intended = 0;
  #recorder!: LabelRecorder;
  #expect!: RequestVariant['expect'];
  #method = '';
  #path = '';
  #account = 0;
  #collect = false;
  #laterAt = 0;
  readonly #sendLater = () => this.send(this.#laterAt);

  constructor(
    readonly engine: LoadDriver,
    readonly index: number,
  ) {
    this.#auths = engine.config.plan.accounts.map((c) => new Authenticator(c));
    this.#dynamicAuth = engine.config.plan.accounts.some((c) => c.kind === 'digest');
    this.#variant = index;
    this.#wire = new Wire(engine, engine.config.timeoutMs, engine.config.maxBody, (error) => this.finish(error));
  }

  /** Schedule the next request, or finish. */
  next(): void {
    const e = this.engine;
    if (e.stopped || e.over || e.sent >= e.config.maxRequests) return this.#finishLoop();
    const now = performance.now();
    if (e.interval === 0) return this.send(now);
    const intended = e.t0 + e.nextSlot++ * e.interval;
    if (intended >= e.endAt) return this.#finishLoop();
    if (intended > now + 1) {
      this.#laterAt = intended;
      setTimeout(this.#sendLater, intended - now);
    } else this.send(intended);
  }

  private send(intended: number): void {
    const e = this.engine;
    if (intended >= e.endAt || e.stopped || e.over) return this.#finishLoop();
    e.sent++;
    this.#intended = intended;
    const rt = e.pickOp();
    if (rt.op.churn) this.churn(rt);
    else {
      const i = this.#variant++ % rt.op.variants.length;
      const v = rt.op.variants[i]!;
      this.#recorder = rt.recorder;
      this.#expect = v.expect;
      this.#method = v.method;
      this.#path = v.path;
      this.#account = v.account;
      this.#request = this.#dynamicAuth ? this.build(rt.headers[i]!, rt.bodies[i]!) : rt.requests[i]!;
    }
    this.#collect = e.config.validateFraction > 0 && Math.random() < e.config.validateFraction;
    this.#wire.send(this.#request, this.#collect, this.#method === 'HEAD');
  }

  /** End of run (grace expired) or stop(): abandon the request in flight, counted as `error`. */
  abort(error: ErrorClass): void {
    if (this.#wire.abort()) this.finish(error);
  }

  #finishLoop(): void {
    this.#wire.close();
    this.engine.connectionDone();
  }

  /** Digest (or churn): the request bytes, with this request's Authorization. */
  private build(base: string[], body: Buffer | string | null): Buffer {
    const auth = this.#auths[this.#account]?.header(this.#method, this.#path);
    return serializeRequest(
      this.#method,
      this.#path,
      this.engine.host,
      auth ? [...base, 'authorization', auth] : base,
      body,
    );
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
    const headers = ['user-agent', 'calspec-load', ...(put ? ['content-type', 'text/calendar; charset=utf-8'] : [])];
    this.#request = this.build(headers, put ? churnEvent(`${name}@calspec.load`, this.engine.sent) : null);
    if (put) this.#live |= 1 << slot;
    else this.#live &= ~(1 << slot);
  }

  private finish(transport: ErrorClass | undefined): void {
    const e = this.engine;
    const done = performance.now();
    const f = this.#wire.framer;
    // As undici reported it: the status of a head we did get, even when the body then failed.
    const status = f.status >= 200 ? f.status : 0;
    let error: ErrorClass | undefined = transport;
    if (!error && !this.#expect.status.includes(status)) {
      error = status >= 500 ? '5xx' : status >= 400 ? '4xx' : 'other';
      if (status === 401) this.learnChallenge(f.rawHeaders);
    }
    if (!error && this.#collect) {
      const problem = validateSample(
        e.config.plan.baseUrl,
        this.#method,
        this.#path,
        status,
        f.rawHeaders,
        f.body,
        this.#expect,
      );
      if (problem) {
        error = 'wrong-body';
        if (e.samples.length < MAX_SAMPLES) e.samples.push(`${this.#recorder.label}: ${problem}`);
      }
      f.body = [];
    }
    if (this.#intended >= e.measureFrom) {
      this.#recorder.record(Math.round((done - this.#intended) * 1000), status, error);
      e.timeline.record((done - e.measureFrom) / 1000, error !== undefined);
      e.lastDone = done;
    } else e.warmupRequests++;
    this.next();
  }

  /** Digest: a 401 carries the challenge; later requests of this connection answer it. */
  private learnChallenge(raw: string[] | null): void {
    if (!raw) return;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      if (raw[i]!.toLowerCase() === 'www-authenticate' && this.#auths[this.#account]?.challenge(raw[i + 1]))
        this.#dynamicAuth = true;
    }
  }
}
