// Hrefs in a multistatus may be absolute URLs or absolute paths, percent-encoded or not.
// Comparisons go through one normal form: the decoded path.

export function hrefPath(href: string, base = 'http://calspec.invalid/'): string {
  let path: string;
  try {
    path = new URL(href, base).pathname;
  } catch {
    path = href;
  }
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** Same resource? Trailing slashes are ignored (servers differ on collection hrefs). */
export function sameHref(a: string, b: string, base?: string): boolean {
  return stripSlash(hrefPath(a, base)) === stripSlash(hrefPath(b, base));
}

function stripSlash(p: string): string {
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}

/** Encode a decoded path for use in a request URL (segment by segment). */
export function encodePath(path: string): string {
  return path
    .split('/')
    .map((seg) => encodeURIComponent(decodeSafe(seg)).replace(/%40/g, '@').replace(/%3A/g, ':'))
    .join('/');
}

function decodeSafe(seg: string): string {
  try {
    return decodeURIComponent(seg);
  } catch {
    return seg;
  }
}
