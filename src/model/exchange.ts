// A recorded HTTP exchange: what was sent, what came back, how long it took.
// Exchanges are serialised into results.json, so everything here is plain data.

export interface RecordedRequest {
  method: string;
  url: string;
  /** Header names lower-cased; credentials already redacted. */
  headers: Record<string, string>;
  body?: string;
}

export interface RecordedResponse {
  status: number;
  statusText?: string;
  /** Header names lower-cased; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
  /** True when the body was cut at the size cap. */
  truncated?: boolean;
  /** Redirect target when the server answered 3xx (recorded, not followed silently). */
  redirectedTo?: string;
}

export interface Timings {
  /** Epoch milliseconds when the request was sent. */
  startedAt: number;
  /** Milliseconds until response headers arrived. */
  headersMs?: number;
  /** Milliseconds until the body was fully read. */
  totalMs: number;
}

export interface Exchange {
  request: RecordedRequest;
  /** Absent when the request failed at transport level (see `error`). */
  response?: RecordedResponse;
  timings: Timings;
  /** One-line transport error (timeout, reset, TLS, body too large...). */
  error?: string;
  /** Earlier hops when redirects were followed (`request` and `response` are then the last hop). */
  redirects?: RedirectHop[];
}

/** One followed redirect: the 3xx response, plus (since these fields were added) what it answered. */
export interface RedirectHop extends RecordedResponse {
  /** The request this 3xx answered, as sent (credentials redacted). */
  request?: RecordedRequest;
  timings?: Timings;
  /**
   * True when the Location pointed to another origin (scheme, host or port) than the request it
   * answered: the rest of the chain was then sent without Authorization, Cookie or Proxy-Authorization.
   */
  crossOrigin?: boolean;
}
