// The XML element tree calspec works on: names in Clark notation (`{DAV:}href`),
// text verbatim (never coerced to numbers: sync-tokens and ctags are strings).

export interface XmlElement {
  /** `{namespace}local`, or `local` for an element in no namespace. */
  name: string;
  /** Attribute names in Clark notation too (unprefixed attributes have no namespace). */
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated direct text content (CDATA included), untrimmed. */
  text: string;
}

/** Prefixes accepted in suite paths as shorthand for the namespaces CalDAV uses. */
export const WELL_KNOWN_PREFIXES: Readonly<Record<string, string>> = {
  d: 'DAV:',
  D: 'DAV:',
  c: 'urn:ietf:params:xml:ns:caldav',
  C: 'urn:ietf:params:xml:ns:caldav',
  cs: 'http://calendarserver.org/ns/',
  ical: 'http://apple.com/ns/ical/',
  card: 'urn:ietf:params:xml:ns:carddav',
};

export const NS = {
  dav: 'DAV:',
  caldav: 'urn:ietf:params:xml:ns:caldav',
  cs: 'http://calendarserver.org/ns/',
  ical: 'http://apple.com/ns/ical/',
} as const;

export function clark(namespace: string, local: string): string {
  return namespace ? `{${namespace}}${local}` : local;
}

export function splitClark(name: string): { namespace: string; local: string } {
  if (name.startsWith('{')) {
    const end = name.indexOf('}');
    return { namespace: name.slice(1, end), local: name.slice(end + 1) };
  }
  return { namespace: '', local: name };
}

/** Expand `d:href` style shorthand to Clark notation; Clark names pass through. */
export function expandName(name: string): string {
  if (name.startsWith('{') || name === '*' || name === '**') return name;
  const colon = name.indexOf(':');
  if (colon > 0) {
    const ns = WELL_KNOWN_PREFIXES[name.slice(0, colon)];
    if (ns) return clark(ns, name.slice(colon + 1));
  }
  return name;
}

export function firstChild(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

/** All text below an element, in document order. */
export function deepText(el: XmlElement): string {
  return el.text + el.children.map(deepText).join('');
}

/** Split a path like `{DAV:}response/d:href` on slashes that are not inside `{...}`. */
export function splitPath(path: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of path) {
    if (ch === '{') depth++;
    if (ch === '}') depth--;
    if (ch === '/' && depth === 0) {
      if (current) parts.push(current);
      current = '';
    } else current += ch;
  }
  if (current) parts.push(current);
  return parts.map(expandName);
}

/**
 * Evaluate a path from a virtual document node whose only child is `root`.
 * Segments: a name, `*` (any child), `**` (any depth, including zero).
 */
export function selectPath(root: XmlElement, path: string): XmlElement[] {
  let current: XmlElement[] = [{ name: '#document', attrs: {}, children: [root], text: '' }];
  for (const segment of splitPath(path)) {
    const next: XmlElement[] = [];
    for (const el of current) {
      if (segment === '**') collectDescendantsOrSelf(el, next);
      else for (const c of el.children) if (segment === '*' || c.name === segment) next.push(c);
    }
    current = segment === '**' ? next : dedupe(next);
  }
  return current;
}

function collectDescendantsOrSelf(el: XmlElement, out: XmlElement[]): void {
  out.push(el);
  for (const c of el.children) collectDescendantsOrSelf(c, out);
}

function dedupe(list: XmlElement[]): XmlElement[] {
  return [...new Set(list)];
}

/**
 * Values at a path: element texts, or attribute values when the last segment is `@name`
 * (`@xml:lang`, `@name`, `@{urn:x}attr`).
 */
export function selectValues(root: XmlElement, path: string, text: (el: XmlElement) => string): string[] {
  const at = lastSegmentAttribute(path);
  if (!at) return selectPath(root, path).map(text);
  const attr =
    at.name === 'xml:lang' || at.name.startsWith('xml:')
      ? `{http://www.w3.org/XML/1998/namespace}${at.name.slice(4)}`
      : expandName(at.name);
  return selectPath(root, at.elementPath).flatMap((el) => (attr in el.attrs ? [el.attrs[attr]!] : []));
}

function lastSegmentAttribute(path: string): { elementPath: string; name: string } | undefined {
  let depth = 0;
  for (let i = path.length - 1; i >= 0; i--) {
    const ch = path[i];
    if (ch === '}') depth++;
    else if (ch === '{') depth--;
    else if (ch === '/' && depth === 0) {
      const last = path.slice(i + 1);
      return last.startsWith('@') ? { elementPath: path.slice(0, i), name: last.slice(1) } : undefined;
    }
  }
  return path.startsWith('@') ? { elementPath: '', name: path.slice(1) } : undefined;
}
