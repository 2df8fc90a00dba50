// HTTP/1.1 on the wire for the load engine: the request bytes (serialised once per variant,
// before the clock starts) and `Wire`, one keep-alive socket exchanging one request at a time
// for a Connection: reconnects, the one retry, the timeout and the error class of a failure.
// Responses are framed by wire-parse.ts.
//
// Why not undici here: a dispatch through undici builds a per-request request object, validates
// every header and parses with llhttp compiled to wasm, about 28 µs of CPU per request on the
// 2-core benchmark machine: calspec, not the server, became the bottleneck. The load path sends
// a few fixed requests millions of times, so it writes pre-built Buffers and reads only what
// framing needs. Seeding, discovery and conformance runs keep undici.
import type { Socket } from 'node:net';
import type { ErrorClass } from './stats.js';
import { DONE, MORE, ResponseFramer } from './wire-parse.js';

// Request bytes. Values go out as latin1, as node:http does; CR/LF/NUL would split the message.
const UNSAFE = /[^\t\x20-\x7e\x80-\xff]/;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Framing headers are ours to write; a variant that carries them has them dropped. */
const OURS = new Set(['host', 'content-length', 'transfer-encoding']);
/** Methods whose bodiless request still says `content-length: 0` (as undici and curl do). */
const LENGTH_ZERO = new Set(['PUT', 'POST', 'PATCH', 'PROPFIND', 'PROPPATCH', 'REPORT', 'MKCALENDAR', 'MKCOL']);

/** `METHOD path HTTP/1.1`, host, the headers, content-length, blank line: as a string. */
export function requestHead(
  method: string,
  path: string,
  host: string,
  headers: readonly string[],
  bodyLength: number,
): string {
  if (!TOKEN.test(method)) throw new Error(`invalid HTTP method '${method}'`);
  if (!/^[\x21-\x7e]+$/.test(path)) throw new Error(`invalid request target '${path}'`);
  if (UNSAFE.test(host)) throw new Error(`invalid host '${host}'`);
  let head = `${method} ${path} HTTP/1.1\r\nhost: ${host}\r\n`;
  for (let i = 0; i + 1 < headers.length; i += 2) {
    const name = headers[i]!;
    const value = headers[i + 1]!;
    if (!TOKEN.test(name)) throw new Error(`invalid header name '${name}'`);
    if (UNSAFE.test(value)) throw new Error(`invalid character in header ${name}`);
    if (!OURS.has(name.toLowerCase())) head += `${name}: ${value}\r\n`;
  }
  if (bodyLength > 0 || LENGTH_ZERO.has(method)) head += `content-length: ${bodyLength}\r\n`;
  return `${head}\r\n`;
}

/** One Buffer holding the whole request, written with a single socket.write. */
export function serializeRequest(
  method: string,
  path: string,
  host: string,
  headers: readonly string[],
  body: Buffer | string | null,
): Buffer {
  const payload = body === null ? null : typeof body === 'string' ? Buffer.from(body) : body;
  const head = Buffer.from(requestHead(method, path, host, headers, payload?.length ?? 0), 'latin1');
  return payload && payload.length > 0 ? Buffer.concat([head, payload]) : head;
}

/** What a Wire needs from the engine: new sockets, and a count of the reconnects. */
export interface SocketSource {
  openSocket(): Socket;
  reconnects: number;
}

/**
 * A reused socket that had been idle this long and then closes before any response byte was
 * most likely closed by the server's keep-alive timeout as we sent (such timeouts are >= 1 s
 * nearly everywhere): the request is retried once on a new socket instead of counted. A socket
 * busy a moment ago that closes on our request is the server's doing, and counts as a reset.
 */
const STALE_IDLE_MS = 1000;

export class Wire {
  readonly framer: ResponseFramer;
  #socket: Socket | null = null;
  #opened = 0;
  /** Responses completed on the current socket, and when the last one did. */
  #served = 0;
  #idleSince = 0;
  // The exchange in flight.
  #inFlight = false;
  #request: Buffer = Buffer.alloc(0);
  #idleMs = 0;
  #gotBytes = false;
  #retried = false;
  #writeFailed = false;
  readonly #timer: NodeJS.Timeout;
  /** The current socket's write callback (a failed write of a socket let go does not count). */
  #onWritten: (error?: Error | null) => void = () => undefined;

  /** @param done called once per send(): undefined when the response is complete, else the error class. */
  constructor(
    readonly source: SocketSource,
    timeoutMs: number,
    maxBody: number | undefined,
    readonly done: (error: ErrorClass | undefined) => void,
  ) {
    this.framer = new ResponseFramer(maxBody);
    // One timer per connection, re-armed with refresh() at every send (no allocation): when it
    // fires, the exchange in flight (if any) has had timeoutMs without a complete response.
    this.#timer = setTimeout(() => this.#inFlight && this.#fail('timeout'), timeoutMs);
    this.#timer.unref();
  }

  /** Write one request; `done` follows. `collect`: keep headers and body for validation. */
  send(request: Buffer, collect: boolean, head: boolean): void {
    this.framer.start(collect, head);
    this.#request = request;
    this.#inFlight = true;
    this.#retried = false;
    this.#timer.refresh();
    this.#write();
  }

  /** Abandon the exchange in flight (end of run, stop). True when there was one. */
  abort(): boolean {
    this.#drop();
    const was = this.#inFlight;
    this.#inFlight = false;
    return was;
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#drop();
  }

  #write(): void {
    let socket = this.#socket;
    this.#idleMs = this.#served > 0 ? performance.now() - this.#idleSince : 0;
    if (socket === null || socket.destroyed || socket.readableEnded) {
      this.#drop();
      try {
        socket = this.#open();
      } catch {
        // A synchronous failure (e.g. an invalid address) fails on a later tick: no recursion.
        setImmediate(() => this.#inFlight && this.#fail('other'));
        return;
      }
    }
    this.#gotBytes = false;
    this.#writeFailed = false;
    socket.write(this.#request, this.#onWritten);
  }

  #open(): Socket {
    if (this.#opened++ > 0) this.source.reconnects++;
    const socket = this.source.openSocket();
    this.#socket = socket;
    this.#served = 0;
    let code = '';
    // Per socket, not per request. Events of a socket we have let go are ignored; its 'error'
    // listener stays so a late error cannot go unhandled.
    socket.on('data', (chunk: Buffer) => socket === this.#socket && this.#onData(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => (code = error.code ?? 'other'));
    socket.on('end', () => socket === this.#socket && this.#onGone(code));
    socket.on('close', () => socket === this.#socket && this.#onGone(code));
    this.#onWritten = (error) => {
      if (error && socket === this.#socket) this.#writeFailed = true;
    };
    return socket;
  }

  /** Let the current socket go (destroyed; its events are ignored from now on). */
  #drop(): void {
    const s = this.#socket;
    this.#socket = null;
    s?.destroy();
  }

  #fail(error: ErrorClass): void {
    this.#drop();
    this.#inFlight = false;
    this.done(error);
  }

  #complete(): void {
    this.#served++;
    this.#idleSince = performance.now();
    this.#inFlight = false;
    this.done(undefined);
  }

  #onData(chunk: Buffer): void {
    if (!this.#inFlight) return this.#drop(); // bytes nobody asked for: do not trust this socket
    this.#gotBytes = true;
    const r = this.framer.feed(chunk);
    if (r === MORE) return;
    if (r !== DONE) return this.#fail('other'); // malformed, head or body too large
    if (!this.framer.keepAlive || this.framer.trailing > 0) this.#drop();
    this.#complete();
  }

  /** The socket ended or closed; `code`: its error, if any. */
  #onGone(code: string): void {
    this.#drop();
    if (!this.#inFlight) return; // an idle socket closed by the server: a new one at the next send
    if (this.#gotBytes && this.framer.end() === DONE) return this.#complete(); // close-delimited body
    if (!this.#gotBytes && this.#served > 0 && !this.#retried && (this.#writeFailed || this.#idleMs >= STALE_IDLE_MS)) {
      this.#retried = true;
      return this.#write();
    }
    // Refused, TLS or DNS failure: 'other'. Closed (with or without ECONNRESET/EPIPE) after the
    // request went out and before its response was complete: 'reset'.
    this.#fail(
      code === 'ETIMEDOUT'
        ? 'timeout'
        : code === '' || code === 'ECONNRESET' || code === 'EPIPE' || this.#gotBytes
          ? 'reset'
          : 'other',
    );
  }
}
