// Serialise an element tree back to XML, assigning prefixes to namespaces.
// Used by the reference server to build responses and by reports to pretty-print bodies.
import { splitClark, type XmlElement } from './element.js';

const PREFERRED: Record<string, string> = {
  'DAV:': 'd',
  'urn:ietf:params:xml:ns:caldav': 'cal',
  'http://calendarserver.org/ns/': 'cs',
  'http://apple.com/ns/ical/': 'ical',
};

/** CR is written as a character reference: XML parsers normalise a literal CRLF to LF, and
 * iCalendar inside calendar-data must keep its CRLF line endings. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

function escapeAttr(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}

/** Build an element: `el('{DAV:}href', {}, '/x/')` or with children. */
export function el(
  name: string,
  children: (XmlElement | string)[] = [],
  attrs: Record<string, string> = {},
): XmlElement {
  const out: XmlElement = { name, attrs, children: [], text: '' };
  for (const c of children) {
    if (typeof c === 'string') out.text += c;
    else out.children.push(c);
  }
  return out;
}

export function serializeXml(root: XmlElement, options: { pretty?: boolean; declaration?: boolean } = {}): string {
  const prefixes = new Map<string, string>();
  collectNamespaces(root, prefixes);
  const decls = [...prefixes.entries()].map(([ns, p]) => ` xmlns:${p}="${escapeAttr(ns)}"`).join('');
  const body = write(root, prefixes, decls, options.pretty ? 0 : -1);
  return (options.declaration === false ? '' : '<?xml version="1.0" encoding="utf-8"?>\n') + body;
}

function collectNamespaces(el: XmlElement, prefixes: Map<string, string>): void {
  const names = [el.name, ...Object.keys(el.attrs)];
  for (const name of names) {
    const { namespace } = splitClark(name);
    if (namespace && !prefixes.has(namespace)) {
      prefixes.set(namespace, PREFERRED[namespace] ?? `ns${prefixes.size}`);
    }
  }
  for (const c of el.children) collectNamespaces(c, prefixes);
}

function qname(name: string, prefixes: Map<string, string>): string {
  const { namespace, local } = splitClark(name);
  return namespace ? `${prefixes.get(namespace)}:${local}` : local;
}

function write(el: XmlElement, prefixes: Map<string, string>, extra: string, indent: number): string {
  const tag = qname(el.name, prefixes);
  const attrs = Object.entries(el.attrs)
    .map(([k, v]) => ` ${qname(k, prefixes)}="${escapeAttr(v)}"`)
    .join('');
  const pad = indent >= 0 ? '  '.repeat(indent) : '';
  const nl = indent >= 0 ? '\n' : '';
  if (el.children.length === 0 && el.text === '') return `${pad}<${tag}${extra}${attrs}/>${nl}`;
  if (el.children.length === 0) return `${pad}<${tag}${extra}${attrs}>${escapeText(el.text)}</${tag}>${nl}`;
  const inner = el.children.map((c) => write(c, prefixes, '', indent >= 0 ? indent + 1 : -1)).join('');
  const text = el.text.trim() ? escapeText(el.text) : '';
  return `${pad}<${tag}${extra}${attrs}>${text}${nl}${inner}${pad}</${tag}>${nl}`;
}
