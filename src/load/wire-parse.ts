// HTTP/1.x response framing for the load hot path: where one response ends, its status, whether
// the connection may be reused, and (only when asked) the raw headers and de-chunked body.
// Byte-level and incremental, since a response may arrive in any number of pieces; only the
// headers that frame the message are interpreted. Nothing is allocated for a response nobody
// samples (a head split across reads is copied once into a reused buffer).

/** feed()/end() results: need more bytes, or the response is complete; negative: an error. */
export const MORE = 0;
export const DONE = 1;
export const ERR_MALFORMED = -1;
export const ERR_HEAD_TOO_LARGE = -2;
export const ERR_BODY_TOO_LARGE = -3;
/** The connection ended before the response was complete. */
export const ERR_PREMATURE = -4;

export const MAX_HEAD = 64 * 1024;
export const DEFAULT_MAX_BODY = 16 * 1024 * 1024;

const CR = 13;
const LF = 10;
const CRLFCRLF = Buffer.from('\r\n\r\n');
const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const [HTTP, H_LENGTH, H_TE, H_CONNECTION] = ['http/', 'content-length', 'transfer-encoding', 'connection'].map(
  bytes,
) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
const [T_CHUNKED, T_CLOSE, T_KEEPALIVE] = ['chunked', 'close', 'keep-alive'].map(bytes) as [
  Uint8Array,
  Uint8Array,
  Uint8Array,
];
// Body framing, and the states of the chunked decoder (an LF is expected in the *_LF states).
const [NONE, LENGTH, CHUNKED, UNTIL_CLOSE] = [0, 1, 2, 3];
const [SIZE, EXT, SIZE_LF, DATA, DATA_CR, DATA_LF, TRAILER, TRAILER_LINE, TRAILER_LF, END_LF] = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
];

/** Case-insensitive compare of buf[at, at + lower.length) with lower-case letters, '-' and '/'. */
function same(buf: Buffer, at: number, lower: Uint8Array): boolean {
  for (let i = 0; i < lower.length; i++) if ((buf[at + i]! | 0x20) !== lower[i]) return false;
  return true;
}

function contains(buf: Buffer, start: number, end: number, lower: Uint8Array): boolean {
  for (let i = start; i + lower.length <= end; i++) if (same(buf, i, lower)) return true;
  return false;
}

function hex(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  return l >= 97 && l <= 102 ? l - 87 : -1;
}

export class ResponseFramer {
  status = 0;
  /** Valid once DONE: false when the server closes (or will close) the connection. */
  keepAlive = true;
  /** Bytes left over after the response in the last piece fed (a server sending unasked). */
  trailing = 0;
  /** Flat [name, value, ...]; only filled when collecting, or for a 401 (Digest challenge). */
  rawHeaders: string[] | null = null;
  /** De-chunked body pieces (copies); only filled when collecting. */
  body: Buffer[] = [];
  #collect = false;
  #noBody = false;
  #inHead = true;
  #acc: Buffer = Buffer.alloc(0);
  #accLen = 0;
  #mode = NONE;
  #remaining = 0;
  #bodyBytes = 0;
  #chunk = SIZE;
  #digits = 0;
  #lineBytes = 0;

  constructor(readonly maxBody = DEFAULT_MAX_BODY) {}

  /** Before each request. `noBody`: the request was HEAD, so no response has a body. */
  start(collect: boolean, noBody = false): void {
    this.status = 0;
    this.keepAlive = true;
    this.trailing = 0;
    this.rawHeaders = null;
    if (collect) this.body = [];
    this.#collect = collect;
    this.#noBody = noBody;
    this.#inHead = true;
    this.#accLen = 0;
  }

  feed(buf: Buffer): number {
    let pos = 0;
    while (this.#inHead) {
      if (this.#accLen > 0) {
        const r = this.#accumulate(buf, pos);
        if (r <= 0) return r;
        pos = r - 1;
      } else {
        const end = buf.indexOf(CRLFCRLF, pos);
        if (end < 0 || end + 4 - pos > MAX_HEAD) {
          if (buf.length - pos > MAX_HEAD) return ERR_HEAD_TOO_LARGE;
          return pos < buf.length ? this.#accumulate(buf, pos) : MORE;
        }
        const r = this.#head(buf, pos, end);
        if (r < 0) return r;
        pos = end + 4;
      }
    }
    return this.#body(buf, pos);
  }

  /** The peer closed the connection: completes a close-delimited body, else an error. */
  end(): number {
    return !this.#inHead && this.#mode === UNTIL_CLOSE ? DONE : ERR_PREMATURE;
  }

  /**
   * The rare split-head path: bytes are copied into a reused buffer (the caller may reuse its
   * own) and only the new ones (plus the 3 before them) are searched, so a head trickling in a
   * byte at a time costs linear time. Returns 1 + the position after the head in `buf`, MORE,
   * or an error.
   */
  #accumulate(buf: Buffer, pos: number): number {
    const old = this.#accLen;
    const n = Math.min(buf.length - pos, MAX_HEAD + 4 - old);
    if (this.#acc.length < old + n) {
      const grown = Buffer.allocUnsafe(Math.min(MAX_HEAD + 4, Math.max(4096, 2 * (old + n))));
      this.#acc.copy(grown, 0, 0, old);
      this.#acc = grown;
    }
    buf.copy(this.#acc, old, pos, pos + n);
    this.#accLen = old + n;
    const end = this.#acc.subarray(0, old + n).indexOf(CRLFCRLF, Math.max(0, old - 3));
    if (end < 0) return old + n > MAX_HEAD ? ERR_HEAD_TOO_LARGE : MORE;
    if (end + 4 > MAX_HEAD) return ERR_HEAD_TOO_LARGE;
    this.#accLen = 0;
    const r = this.#head(this.#acc, 0, end);
    return r < 0 ? r : 1 + pos + end + 4 - old;
  }

  /** The head data[from, end) (end: its CRLFCRLF): status line, framing headers, keep-alive. */
  #head(data: Buffer, from: number, end: number): number {
    // HTTP/1.x SSS[ reason]
    if (
      end - from < 12 ||
      !same(data, from, HTTP) ||
      data[from + 5] !== 49 ||
      data[from + 6] !== 46 ||
      data[from + 8] !== 32
    )
      return ERR_MALFORMED;
    const minor = data[from + 7]! - 48;
    const status = (data[from + 9]! - 48) * 100 + (data[from + 10]! - 48) * 10 + data[from + 11]! - 48;
    for (let i = from + 9; i < from + 12; i++) if (data[i]! < 48 || data[i]! > 57) return ERR_MALFORMED;
    // 101 would switch protocols, which we never ask for.
    if (
      minor < 0 ||
      minor > 9 ||
      status < 100 ||
      status === 101 ||
      (end > from + 12 && data[from + 12] !== 32 && data[from + 12] !== CR)
    )
      return ERR_MALFORMED;
    const raw: string[] | null = this.#collect || status === 401 ? [] : null;
    let length = -1;
    let te = false;
    let chunked = false;
    let close = false;
    let keep = false;
    let i = data.indexOf(CR, from + 12);
    if (i < 0 || i > end) i = end;
    while (i < end) {
      if (data[i + 1] !== LF) return ERR_MALFORMED;
      const ls = i + 2;
      let le = data.indexOf(CR, ls);
      if (le < 0 || le > end) le = end;
      i = le;
      if (data[ls] === 32 || data[ls] === 9) continue; // obsolete line folding: ignored
      const colon = data.indexOf(58, ls);
      if (colon <= ls || colon > le) return ERR_MALFORMED;
      let vs = colon + 1;
      while (vs < le && (data[vs] === 32 || data[vs] === 9)) vs++;
      let ve = le;
      while (ve > vs && (data[ve - 1] === 32 || data[ve - 1] === 9)) ve--;
      const n = colon - ls;
      if (n === 14 && same(data, ls, H_LENGTH)) {
        let v = 0;
        for (let k = vs; k < ve; k++) {
          const d = data[k]! - 48;
          if (d < 0 || d > 9 || v > 1e14) return ERR_MALFORMED;
          v = v * 10 + d;
        }
        if (ve === vs || (length >= 0 && length !== v)) return ERR_MALFORMED;
        length = v;
      } else if (n === 17 && same(data, ls, H_TE)) {
        te = true;
        // Chunked only as the last coding applied (RFC 9112 §6.3); anything else reads to close.
        chunked = ve - vs >= 7 && same(data, ve - 7, T_CHUNKED);
      } else if (n === 10 && same(data, ls, H_CONNECTION)) {
        close ||= contains(data, vs, ve, T_CLOSE);
        keep ||= contains(data, vs, ve, T_KEEPALIVE);
      }
      if (raw) raw.push(data.toString('latin1', ls, colon), data.toString('latin1', vs, ve));
    }
    this.status = status;
    if (status < 200) return DONE; // interim: skipped, its headers say nothing about the final one
    this.#inHead = false;
    this.rawHeaders = raw;
    this.#remaining = 0;
    this.#bodyBytes = 0;
    if (this.#noBody || status === 204 || status === 304) this.#mode = NONE;
    else if (te) this.#mode = chunked ? CHUNKED : UNTIL_CLOSE;
    else if (length > this.maxBody) return ERR_BODY_TOO_LARGE;
    else if (length >= 0) {
      this.#mode = length === 0 ? NONE : LENGTH;
      this.#remaining = length;
    } else this.#mode = UNTIL_CLOSE;
    this.#chunk = SIZE;
    this.#digits = this.#lineBytes = 0;
    this.keepAlive = !close && (minor >= 1 || keep) && this.#mode !== UNTIL_CLOSE;
    return DONE;
  }

  #take(buf: Buffer, pos: number, n: number): void {
    if (this.#collect && n > 0) this.body.push(Buffer.from(buf.subarray(pos, pos + n)));
  }

  #body(buf: Buffer, pos: number): number {
    const len = buf.length;
    if (this.#mode === CHUNKED) return this.#chunked(buf, pos);
    if (this.#mode === UNTIL_CLOSE) {
      this.#bodyBytes += len - pos;
      if (this.#bodyBytes > this.maxBody) return ERR_BODY_TOO_LARGE;
      this.#take(buf, pos, len - pos);
      return MORE;
    }
    const n = Math.min(this.#remaining, len - pos); // LENGTH (NONE: remaining is 0)
    this.#take(buf, pos, n);
    this.#remaining -= n;
    if (this.#remaining > 0) return MORE;
    this.trailing = len - pos - n;
    return DONE;
  }

  /** Chunk sizes (hex, then extensions to skip), data, CRLF; a 0 chunk, trailers, CRLF. */
  #chunked(buf: Buffer, pos: number): number {
    const len = buf.length;
    while (pos < len) {
      const s = this.#chunk;
      if (s === DATA) {
        const n = Math.min(this.#remaining, len - pos);
        this.#take(buf, pos, n);
        pos += n;
        if ((this.#remaining -= n) === 0) this.#chunk = DATA_CR;
        continue;
      }
      const c = buf[pos++]!;
      if (s === SIZE) {
        const h = hex(c);
        if (h >= 0) {
          this.#digits++;
          this.#remaining = this.#remaining * 16 + h;
          if (this.#bodyBytes + this.#remaining > this.maxBody) return ERR_BODY_TOO_LARGE;
        } else if (this.#digits === 0) return ERR_MALFORMED;
        else if (c === CR) this.#chunk = SIZE_LF;
        else if (c === 59 || c === 32 || c === 9)
          this.#chunk = EXT; // ';' starts an extension
        else return ERR_MALFORMED;
      } else if (s === EXT || s === TRAILER_LINE) {
        if (c === CR) this.#chunk = s === EXT ? SIZE_LF : TRAILER_LF;
        else if (++this.#lineBytes > MAX_HEAD) return ERR_HEAD_TOO_LARGE;
      } else if (s === TRAILER)
        this.#chunk = c === CR ? END_LF : TRAILER_LINE; // CR: empty line, the end
      else if (s === DATA_CR) {
        if (c !== CR) return ERR_MALFORMED;
        this.#chunk = DATA_LF;
      } else if (c !== LF) return ERR_MALFORMED;
      else if (s === END_LF) {
        this.trailing = len - pos;
        return DONE;
      } else if (s === SIZE_LF) {
        this.#bodyBytes += this.#remaining;
        this.#chunk = this.#remaining === 0 ? TRAILER : DATA;
      } else if (s === DATA_LF) {
        this.#chunk = SIZE;
        this.#digits = 0;
      } else this.#chunk = TRAILER; // TRAILER_LF
    }
    return MORE;
  }
}
