// The request-target as the suite wrote it. WHATWG URL parsing (`new URL`) removes dot segments,
// percent-encoded ones too (`/cal/%2e%2e/x` becomes `/x`), and rewrites backslashes: exactly the
// paths some conformance tests must send. Only the origin goes through `new URL` here; path and
// query go on the wire as written, with just the bytes that cannot appear there percent-encoded.
// Redirect targets are resolved by RFC 3986 §5.2, which leaves percent-encoding alone.

export interface Target {
  /** Canonical origin: scheme, lower-case host, port unless the default; no user info. */
  origin: string;
  /** The request-target (origin-form): path and query, no fragment. */
  path: string;
}

/** RFC 3986 Appendix B: scheme, authority, path, query, fragment; undefined where absent. */
const PARTS = /^(?:([^:/?#]+):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s;

interface Reference {
  scheme?: string;
  authority?: string;
  path: string;
  query?: string;
}

function parse(url: string): Reference {
  const m = PARTS.exec(url)!;
  const ref: Reference = { path: m[3]! };
  if (m[1] !== undefined) ref.scheme = m[1];
  if (m[2] !== undefined) ref.authority = m[2];
  if (m[4] !== undefined) ref.query = m[4];
  return ref;
}

function recompose(ref: Reference): string {
  let out = ref.scheme === undefined ? '' : `${ref.scheme}:`;
  if (ref.authority !== undefined) out += `//${ref.authority}`;
  out += ref.path;
  return ref.query === undefined ? out : `${out}?${ref.query}`;
}

/**
 * Bytes never valid in a request-target (controls, space, non-ASCII) and the few characters WHATWG
 * also encoded in paths (`"<>\`{}`), so ordinary paths go out as they always did. `%` is left alone.
 */
const UNSENDABLE = /[^\x21-\x7e]|["<>`{}]/gu;

function encodeUnsendable(text: string): string {
  return text.replace(UNSENDABLE, (ch) =>
    Array.from(Buffer.from(ch, 'utf8'), (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

/** Split an absolute http(s) URL into its origin and the request-target to send, unnormalised. */
export function splitTarget(url: string): Target {
  const ref = parse(url);
  const scheme = ref.scheme?.toLowerCase();
  if ((scheme !== 'http' && scheme !== 'https') || !ref.authority) {
    throw new TypeError(`not an http(s) URL: ${url}`);
  }
  const origin = new URL(`${scheme}://${ref.authority}`).origin;
  const path = encodeUnsendable(ref.path || '/') + (ref.query === undefined ? '' : `?${encodeUnsendable(ref.query)}`);
  return { origin, path };
}

/** The URL as it goes on the wire: canonical origin followed by the request-target as sent. */
export function asSent(url: string): string {
  const { origin, path } = splitTarget(url);
  return origin + path;
}

export function originOf(url: string): string {
  return splitTarget(url).origin;
}

export function sameOrigin(a: string, b: string): boolean {
  return originOf(a) === originOf(b);
}

/**
 * The URL for a suite's `path` on the target, for callers that would otherwise write
 * `new URL(path, baseUrl)` and lose dot segments: a full URL is kept as written, an absolute path
 * (`//x` included: suites write paths, not network references) is put after the base's origin, and
 * anything else is resolved by RFC 3986.
 */
export function targetUrl(path: string, baseUrl: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) return path;
  if (path.startsWith('/')) return originOf(baseUrl) + path;
  return resolveReference(path, baseUrl);
}

/** RFC 3986 §5.2.4: remove literal `.` and `..` segments (percent-encoded ones are data, not dots). */
export function removeDotSegments(path: string): string {
  let input = path;
  const output: string[] = [];
  while (input.length > 0) {
    if (input.startsWith('../')) input = input.slice(3);
    else if (input.startsWith('./')) input = input.slice(2);
    else if (input.startsWith('/./')) input = input.slice(2);
    else if (input === '/.') input = '/';
    else if (input.startsWith('/../')) {
      input = input.slice(3);
      output.pop();
    } else if (input === '/..') {
      input = '/';
      output.pop();
    } else if (input === '.' || input === '..') input = '';
    else {
      const next = input.indexOf('/', input.startsWith('/') ? 1 : 0);
      const end = next < 0 ? input.length : next;
      output.push(input.slice(0, end));
      input = input.slice(end);
    }
  }
  return output.join('');
}

/** RFC 3986 §5.2.2: resolve a reference (a Location header) against the URL it came from. */
export function resolveReference(reference: string, base: string): string {
  const r = parse(reference);
  const b = parse(base);
  const t: Reference = { path: '' };
  if (r.scheme !== undefined) {
    Object.assign(t, r, { path: removeDotSegments(r.path) });
  } else {
    t.scheme = b.scheme!;
    if (r.authority !== undefined) {
      Object.assign(t, { authority: r.authority, path: removeDotSegments(r.path) });
      if (r.query !== undefined) t.query = r.query;
    } else {
      if (b.authority !== undefined) t.authority = b.authority;
      if (r.path === '') {
        t.path = b.path;
        const query = r.query ?? b.query;
        if (query !== undefined) t.query = query;
      } else {
        t.path = removeDotSegments(r.path.startsWith('/') ? r.path : merge(b, r.path));
        if (r.query !== undefined) t.query = r.query;
      }
    }
  }
  return recompose(t);
}

function merge(base: Reference, path: string): string {
  if (base.authority !== undefined && base.path === '') return `/${path}`;
  return base.path.slice(0, base.path.lastIndexOf('/') + 1) + path;
}
