// The DAV request engine. Everything goes through one injectable undici Dispatcher (tests pass a
// MockAgent). Every exchange is recorded — request, response, timings — with secrets redacted.
import { Agent, type Dispatcher } from 'undici';
import type { Exchange, RecordedRequest, RecordedResponse } from '../model/exchange.js';
import type { Authenticator } from './auth.js';
import { classifyError, type TransportError } from './errors.js';
import { Redactor } from './redact.js';
import { followRedirects } from './redirects.js';
import { splitTarget } from './target.js';

export interface DavClientOptions {
  dispatcher?: Dispatcher;
  timeoutMs?: number;
  maxBodyBytes?: number;
  insecure?: boolean;
  /** PEM text of extra CA certificates. */
  ca?: string;
  connections?: number;
  userAgent?: string;
  redactor?: Redactor;
  /** false: every request on a new connection (--no-keep-alive). Default true. */
  keepAlive?: boolean;
}

export interface DavRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  auth?: Authenticator;
  followRedirects?: boolean;
  /** Asked before each redirect hop is sent (e.g. the sandbox); false ends the chain with an error. */
  allowRedirect?: (method: string, url: string) => boolean;
  /** Run-wide abort (Ctrl-C) for scenario requests; cleanup requests pass none so they still complete. */
  signal?: AbortSignal;
  /**
   * Close the connection after this response even with keep-alive on (the connection check uses
   * it: a request sent while no idle connection exists then runs on a connection of its own).
   */
  closeConnection?: boolean;
  /** A shorter timeout than the client's, for requests that must give up quickly. */
  timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_BODY = 16 * 1024 * 1024;
/** How long a request in flight may still take after Ctrl-C before it is aborted. */
export const ABORT_GRACE_MS = 3000;

export class DavClient {
  readonly dispatcher: Dispatcher;
  readonly redactor: Redactor;
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
  /**
   * Reuse connections between requests. Switched off by --no-keep-alive, or by the run when the
   * connection check finds reused connections far slower than fresh ones (src/dav/connection-check.ts).
   */
  keepAlive: boolean;
  #ownsDispatcher: boolean;
  #userAgent: string;

  constructor(options: DavClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
    this.redactor = options.redactor ?? new Redactor();
    this.#userAgent = options.userAgent ?? 'calspec';
    this.keepAlive = options.keepAlive ?? true;
    this.#ownsDispatcher = !options.dispatcher;
    const connect: Record<string, unknown> = { rejectUnauthorized: !options.insecure };
    if (options.ca) connect.ca = options.ca;
    this.dispatcher =
      options.dispatcher ??
      new Agent({
        connections: options.connections ?? 8,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        connect,
      });
  }

  async send(req: DavRequest): Promise<Exchange> {
    return req.followRedirects ? followRedirects(req, (hop) => this.sendOnce(hop)) : this.sendOnce(req);
  }

  private async sendOnce(req: DavRequest): Promise<Exchange> {
    let exchange = await this.attempt(req);
    // Digest: the first 401 carries the challenge; answer it once.
    if (exchange.response?.status === 401 && req.auth?.challenge(exchange.response.headers['www-authenticate'])) {
      exchange = await this.attempt(req);
    }
    return exchange;
  }

  private async attempt(req: DavRequest): Promise<Exchange> {
    const startedAt = Date.now();
    const t0 = performance.now();
    let target: { origin: string; path: string };
    try {
      // Not `new URL(req.url)`: that would remove (even percent-encoded) dot segments from the path.
      target = splitTarget(req.url);
    } catch (error) {
      const request: RecordedRequest = { method: req.method, url: req.url, headers: {} };
      return { request, timings: { startedAt, totalMs: 0 }, error: (error as Error).message };
    }
    const headers: Record<string, string> = { 'user-agent': this.#userAgent, ...lower(req.headers ?? {}) };
    const authHeader = req.auth?.header(req.method, target.path);
    if (authHeader && !headers.authorization) headers.authorization = authHeader;
    if (req.body !== undefined && !headers['content-type']) headers['content-type'] = 'application/xml; charset=utf-8';
    const recorded: RecordedRequest = {
      method: req.method,
      url: target.origin + target.path,
      headers: this.redactor.headers(headers),
      ...(req.body === undefined ? {} : { body: req.body }),
    };
    const timeoutMs = Math.min(req.timeoutMs ?? this.timeoutMs, this.timeoutMs);
    const signals = [AbortSignal.timeout(timeoutMs)];
    // Ctrl-C: a request not yet sent is not sent; one in flight gets a short grace to finish, so
    // that its outcome (and the server's state) is known before cleanup. Aborting it at once left
    // a MKCALENDAR the server completed after cleanup's DELETE had already answered 404.
    let grace: { timer?: NodeJS.Timeout; onAbort: () => void; source: AbortSignal } | undefined;
    if (req.signal?.aborted) signals.push(req.signal);
    else if (req.signal) {
      const controller = new AbortController();
      const source = req.signal;
      grace = {
        source,
        onAbort: () =>
          (grace!.timer = setTimeout(() => controller.abort(source.reason), Math.min(this.timeoutMs, ABORT_GRACE_MS))),
      };
      source.addEventListener('abort', grace.onAbort, { once: true });
      signals.push(controller.signal);
    }
    try {
      // Dispatcher.request takes origin and path apart; undici's top-level request() would re-parse
      // the whole URL with `new URL` and normalise the path after all.
      const res = await this.dispatcher.request({
        origin: target.origin,
        path: target.path,
        method: req.method as Dispatcher.HttpMethod,
        headers,
        body: req.body ?? null,
        // undici closes the connection after bodies of methods outside its own list (REPORT,
        // MKCALENDAR...) unless told `reset: false`; keep-alive matters for run time and load.
        // `reset: true` sends Connection: close and drops the socket after the response.
        reset: req.closeConnection === true || !this.keepAlive,
        signal: AbortSignal.any(signals),
      });
      const headersMs = performance.now() - t0;
      const responseHeaders = flattenHeaders(res.headers);
      const { text, truncated } = hasNoContent(req.method, res.statusCode)
        ? await skipBody(res.body)
        : await this.readBody(res.body, responseHeaders['content-type']);
      const response: RecordedResponse = {
        status: res.statusCode,
        headers: this.redactor.headers(responseHeaders),
        body: text,
      };
      if (res.statusCode >= 300 && res.statusCode < 400 && responseHeaders.location)
        response.redirectedTo = responseHeaders.location;
      const exchange: Exchange = {
        request: recorded,
        response,
        timings: { startedAt, headersMs, totalMs: performance.now() - t0 },
      };
      if (truncated) {
        response.truncated = true;
        exchange.error = `response body exceeds the ${formatBytes(this.maxBodyBytes)} cap (--max-body)`;
      }
      return exchange;
    } catch (error) {
      const failure: TransportError = classifyError(error, timeoutMs);
      return { request: recorded, timings: { startedAt, totalMs: performance.now() - t0 }, error: failure.message };
    } finally {
      if (grace) {
        grace.source.removeEventListener('abort', grace.onAbort);
        clearTimeout(grace.timer);
      }
    }
  }

  private async readBody(
    body: Dispatcher.ResponseData['body'],
    contentType?: string,
  ): Promise<{ text: string; truncated: boolean }> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += (chunk as Buffer).length;
      if (size > this.maxBodyBytes) {
        // Stop reading at the cap: memory stays bounded whatever the server sends.
        body.destroy();
        return { text: decode(Buffer.concat(chunks), contentType), truncated: true };
      }
      chunks.push(chunk as Buffer);
    }
    return { text: decode(Buffer.concat(chunks), contentType), truncated: false };
  }

  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.dispatcher.close().catch(() => undefined);
  }
}

/** RFC 9112 §6.3: responses to HEAD, and 1xx, 204 and 304 responses, end at the header section. */
function hasNoContent(method: string, status: number): boolean {
  return method.toUpperCase() === 'HEAD' || status < 200 || status === 204 || status === 304;
}

/**
 * The body of a response that has none. undici frames 204 and 304 correctly (no content is read)
 * but then compares the zero bytes with a Content-Length the server sent (a 304 legitimately
 * carries the selected representation's) and errors the body stream, closing the connection: that
 * mismatch is the only error ignored here. Timeouts and aborts still surface.
 */
async function skipBody(body: Dispatcher.ResponseData['body']): Promise<{ text: string; truncated: boolean }> {
  try {
    for await (const _chunk of body) {
      // Nothing can arrive: the parser reads no content for these responses.
    }
  } catch (error) {
    if ((error as { code?: string }).code !== 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') throw error;
  }
  return { text: '', truncated: false };
}

function lower(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers))
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function decode(buffer: Buffer, contentType?: string): string {
  const charset = /charset\s*=\s*"?([\w-]+)/i.exec(contentType ?? '')?.[1];
  if (charset) {
    try {
      return new TextDecoder(charset).decode(buffer);
    } catch {
      // Unknown charset label: fall back to UTF-8 rather than fail the exchange.
    }
  }
  return buffer.toString('utf8');
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round(n / 1024 / 1024)} MiB` : `${Math.round(n / 1024)} KiB`;
}
