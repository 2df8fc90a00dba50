// Namespace-aware XML parsing on top of fast-xml-parser, which itself knows nothing of namespaces:
// we keep prefixes in its output and resolve them here with a scope stack.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { clark, type XmlElement } from './element.js';

export class XmlParseError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly col?: number,
  ) {
    super(message);
    this.name = 'XmlParseError';
  }
}

type OrderedNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // Entities are decoded here in one pass (predefined + numeric character references such as the
  // &#13; that keeps CRLF inside calendar-data); fast-xml-parser leaves numeric ones alone.
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: '#comment',
  // CDATA kept apart so that its content is not entity-decoded.
  cdataPropName: '#cdata',
});

const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/**
 * Parse an XML document. DOCTYPE is refused outright: DAV bodies never need one, and refusing it
 * is the simplest complete defence against entity-expansion bombs and external entities.
 */
export function parseXml(text: string): XmlElement {
  if (/<!DOCTYPE/i.test(text))
    throw new XmlParseError('XML with a DOCTYPE declaration is refused (entity expansion risk)');
  const validation = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (validation !== true) {
    const { msg, line, col } = validation.err;
    throw new XmlParseError(`malformed XML at ${line}:${col}: ${msg}`, line, col);
  }
  const nodes = parser.parse(text) as OrderedNode[];
  const roots = nodes.filter((n) => elementTag(n) !== undefined);
  if (roots.length !== 1) throw new XmlParseError(`expected one root element, found ${roots.length}`);
  return convert(roots[0]!, new Map([['xml', XML_NS]]));
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(lt|gt|amp|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/g, (whole, name: string) => {
    if (name[0] !== '#') return PREDEFINED[name] ?? whole;
    const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function elementTag(node: OrderedNode): string | undefined {
  return Object.keys(node).find((k) => k !== ':@' && k !== '#text' && k !== '#comment' && k !== '#cdata');
}

function convert(node: OrderedNode, parentScope: Map<string, string>): XmlElement {
  const tag = elementTag(node)!;
  const rawAttrs = (node[':@'] ?? {}) as Record<string, string>;
  let scope = parentScope;
  for (const [key, value] of Object.entries(rawAttrs)) {
    if (key === 'xmlns' || key.startsWith('xmlns:')) {
      if (scope === parentScope) scope = new Map(parentScope);
      scope.set(key === 'xmlns' ? '' : key.slice(6), decodeEntities(String(value)));
    }
  }
  const attrs: Record<string, string> = {};
  for (const [key, value] of Object.entries(rawAttrs)) {
    if (key === 'xmlns' || key.startsWith('xmlns:')) continue;
    const colon = key.indexOf(':');
    // Unprefixed attributes are in no namespace, whatever the default namespace is.
    attrs[colon > 0 ? resolve(key, scope, false) : key] = decodeEntities(String(value));
  }
  const el: XmlElement = { name: resolve(tag, scope, true), attrs, children: [], text: '' };
  const content = (node[tag] ?? []) as OrderedNode[];
  for (const child of content) {
    if ('#text' in child) el.text += decodeEntities(String(child['#text']));
    else if ('#cdata' in child)
      el.text += (child['#cdata'] as OrderedNode[]).map((t) => String(t['#text'] ?? '')).join('');
    else if (elementTag(child) !== undefined) el.children.push(convert(child, scope));
  }
  return el;
}

function resolve(qname: string, scope: Map<string, string>, isElement: boolean): string {
  const colon = qname.indexOf(':');
  if (colon < 0) return clark(isElement ? (scope.get('') ?? '') : '', qname);
  const prefix = qname.slice(0, colon);
  const ns = scope.get(prefix);
  if (ns === undefined) throw new XmlParseError(`undeclared namespace prefix '${prefix}' in <${qname}>`);
  return clark(ns, qname.slice(colon + 1));
}

/** Parse, returning undefined instead of throwing (for bodies that may or may not be XML). */
export function tryParseXml(text: string): XmlElement | undefined {
  try {
    return parseXml(text);
  } catch {
    return undefined;
  }
}
