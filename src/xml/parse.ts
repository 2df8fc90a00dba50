// Namespace-aware XML parsing on top of fast-xml-parser, which itself knows nothing of namespaces:
// we keep prefixes in its output and resolve them here with a scope stack.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { clark, type XmlElement } from './element.js';

export class XmlParseError extends Error {
  constructor(message: string, readonly line?: number, readonly col?: number) {
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
  processEntities: true,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: '#comment',
});

const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/**
 * Parse an XML document. DOCTYPE is refused outright: DAV bodies never need one, and refusing it
 * is the simplest complete defence against entity-expansion bombs and external entities.
 */
export function parseXml(text: string): XmlElement {
  if (/<!DOCTYPE/i.test(text)) throw new XmlParseError('XML with a DOCTYPE declaration is refused (entity expansion risk)');
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

function elementTag(node: OrderedNode): string | undefined {
  return Object.keys(node).find((k) => k !== ':@' && k !== '#text' && k !== '#comment');
}

function convert(node: OrderedNode, parentScope: Map<string, string>): XmlElement {
  const tag = elementTag(node)!;
  const rawAttrs = (node[':@'] ?? {}) as Record<string, string>;
  let scope = parentScope;
  for (const [key, value] of Object.entries(rawAttrs)) {
    if (key === 'xmlns' || key.startsWith('xmlns:')) {
      if (scope === parentScope) scope = new Map(parentScope);
      scope.set(key === 'xmlns' ? '' : key.slice(6), String(value));
    }
  }
  const attrs: Record<string, string> = {};
  for (const [key, value] of Object.entries(rawAttrs)) {
    if (key === 'xmlns' || key.startsWith('xmlns:')) continue;
    const colon = key.indexOf(':');
    // Unprefixed attributes are in no namespace, whatever the default namespace is.
    attrs[colon > 0 ? resolve(key, scope, false) : key] = String(value);
  }
  const el: XmlElement = { name: resolve(tag, scope, true), attrs, children: [], text: '' };
  const content = (node[tag] ?? []) as OrderedNode[];
  for (const child of content) {
    if ('#text' in child) el.text += String(child['#text']);
    else if (elementTag(child) !== undefined) el.children.push(convert(child, scope));
  }
  return el;
}

function resolve(qname: string, scope: Map<string, string>, isElement: boolean): string {
  const colon = qname.indexOf(':');
  if (colon < 0) return clark(isElement ? scope.get('') ?? '' : '', qname);
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
