// Loading YAML with JSON-Schema validation and errors that point at file:line:col.
// Shared by suites, server profiles and load workloads so all three fail the same clear way.
import { readFileSync, statSync } from 'node:fs';
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { CalspecError, EXIT } from '../model/exit-codes.js';

export const MAX_YAML_BYTES = 2 * 1024 * 1024;

export interface YamlSource {
  file: string;
  doc: Document;
  lines: LineCounter;
  data: unknown;
}

/** Words for unknown keys in particular places: `unknown check kind 'x'` reads better than `unknown key`. */
export type UnknownKeyNamer = (parentPath: string[]) => string | undefined;

export function yamlError(file: string, line: number, col: number, message: string): CalspecError {
  // One line whatever the input: keys and values quoted into messages may span lines.
  const flat = message.replace(/\s*[\r\n]+\s*/g, ' ');
  return new CalspecError(
    `${file}:${line}:${col}: ` + `${flat.length > 300 ? `${flat.slice(0, 300)}…` : flat}`,
    EXIT.usage,
  );
}

export function readYaml(file: string, text?: string): YamlSource {
  let source = text;
  if (source === undefined) {
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      throw new CalspecError(`${file}: cannot read file`, EXIT.usage);
    }
    if (size > MAX_YAML_BYTES) throw yamlError(file, 1, 1, `file is ${size} bytes; the limit is ${MAX_YAML_BYTES}`);
    try {
      source = readFileSync(file, 'utf8');
    } catch (error) {
      // A directory (EISDIR) or a file that vanished or is unreadable since the stat.
      throw new CalspecError(
        `${file}: cannot read file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        EXIT.usage,
      );
    }
  }
  const lines = new LineCounter();
  // logLevel 'error': the yaml library's warnings (e.g. collection keys) would go to stderr as noise.
  const doc = parseDocument(source, {
    lineCounter: lines,
    uniqueKeys: true,
    prettyErrors: false,
    strict: true,
    logLevel: 'error',
  });
  const first = doc.errors[0];
  if (first) {
    const pos = lines.linePos(first.pos[0]);
    throw yamlError(file, pos.line, pos.col, `YAML syntax: ${first.message.split('\n')[0]}`);
  }
  let data: unknown;
  try {
    // A low alias budget defeats "billion laughs" style alias bombs and makes cyclic anchors fail fast.
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw yamlError(file, 1, 1, `YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  return { file, doc, lines, data };
}

/** Position of the node at a JSON pointer-ish path; for `keyOf`, the position of that key. */
export function positionOf(src: YamlSource, path: (string | number)[], keyOf?: string): { line: number; col: number } {
  let node: unknown = src.doc.contents;
  let best = offsetOf(node) ?? 0;
  for (const segment of path) {
    const next = childNode(node, segment);
    if (next === undefined) break;
    node = next;
    best = offsetOf(node) ?? best;
  }
  if (keyOf !== undefined && isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === keyOf);
    const keyOffset = pair && isPair(pair) ? offsetOf(pair.key) : undefined;
    if (keyOffset !== undefined) best = keyOffset;
  }
  return src.lines.linePos(best);
}

function childNode(node: unknown, segment: string | number): unknown {
  if (node && typeof node === 'object' && 'get' in node && typeof (node as { get: unknown }).get === 'function') {
    const key = typeof segment === 'number' || /^\d+$/.test(String(segment)) ? Number(segment) : segment;
    const viaIndex = (node as { get(k: unknown, keep: boolean): unknown }).get(key, true);
    if (viaIndex !== undefined) return viaIndex;
    return (node as { get(k: unknown, keep: boolean): unknown }).get(String(segment), true);
  }
  return undefined;
}

function offsetOf(node: unknown): number | undefined {
  const range = (node as Node | undefined)?.range;
  return range ? range[0] : undefined;
}

/** Validate with ajv and throw the most specific error as `file:line:col: message`. */
export function validateOrThrow(src: YamlSource, validate: ValidateFunction, namer?: UnknownKeyNamer): void {
  if (validate(src.data)) return;
  const error = mostSpecific(validate.errors ?? []);
  if (!error) throw yamlError(src.file, 1, 1, 'invalid document');
  const path = error.instancePath.split('/').slice(1).map(unescapePointer);
  const { message, key } = describeError(error, path, namer);
  const pos = positionOf(src, path, key);
  throw yamlError(src.file, pos.line, pos.col, message);
}

function unescapePointer(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

function mostSpecific(errors: ErrorObject[]): ErrorObject | undefined {
  // Prefer the deepest instance path; among equals, prefer unknown-key and required errors over
  // oneOf/anyOf summaries, which say little.
  const rank = (e: ErrorObject) =>
    e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'if'
      ? 0
      : e.keyword === 'additionalProperties'
        ? 2
        : 1;
  return [...errors].sort((a, b) => depth(b) - depth(a) || rank(b) - rank(a))[0];
}

function depth(e: ErrorObject): number {
  const extra = e.keyword === 'additionalProperties' || e.keyword === 'required' ? 1 : 0;
  return e.instancePath.split('/').length + extra;
}

function describeError(e: ErrorObject, path: string[], namer?: UnknownKeyNamer): { message: string; key?: string } {
  const where = path.length ? path.join('.') : 'document';
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const noun = namer?.(path) ?? 'key';
      return { message: `unknown ${noun} '${key}'${noun === 'key' ? ` in ${where}` : ''}`, key };
    }
    case 'required':
      return { message: `missing required key '${String(params.missingProperty)}' in ${where}` };
    case 'enum':
      return { message: `${where}: must be one of ${(params.allowedValues as unknown[]).map(String).join(', ')}` };
    case 'const':
      return { message: `${where}: must be ${JSON.stringify(params.allowedValue)}` };
    case 'type':
      return { message: `${where}: must be ${String(params.type)}` };
    case 'minProperties':
    case 'maxProperties':
      return { message: `${where}: ${e.message ?? 'wrong number of keys'}` };
    default:
      return { message: `${where}: ${e.message ?? e.keyword}` };
  }
}
