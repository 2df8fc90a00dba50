// `etag`: the ETag response header exists, is strong (RFC 7232 §2.3), equals or differs from a captured one.
//   - etag: { present: true, strong: true, changedFrom: "${etag1}" }
import type { CheckKind } from './types.js';
import { outcome } from './types.js';

export interface EtagArgs {
  present?: boolean;
  strong?: boolean;
  changedFrom?: string;
  equals?: string;
}

const ETAG_SYNTAX = /^(W\/)?"[\x21\x23-\x7e\x80-\xff]*"$/;

export const etagCheck: CheckKind<EtagArgs> = {
  name: 'etag',
  summary: 'ETag header is present, syntactically valid, strong, and changed from / equal to a captured value',
  schema: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      present: { type: 'boolean' },
      strong: { const: true },
      changedFrom: { type: 'string' },
      equals: { type: 'string' },
    },
  },
  example: { present: true, strong: true },
  run(args, { view }) {
    const etag = view.header('etag');
    const shown = etag ?? '(no ETag header)';
    if (args.present === false) return outcome(etag === undefined, 'no ETag header', ['(no ETag header)'], shown);
    if (etag === undefined) return outcome(false, 'ETag header present', ['an ETag header'], shown);
    if (!ETAG_SYNTAX.test(etag))
      return outcome(false, 'ETag is a quoted entity-tag', ['"opaque-tag" or W/"opaque-tag"'], shown);
    if (args.strong && etag.startsWith('W/'))
      return outcome(false, 'ETag is strong', ['a strong entity-tag (no W/ prefix)'], shown);
    if (args.changedFrom !== undefined && etag === args.changedFrom) {
      return outcome(false, 'ETag changed after the write', [`anything but ${args.changedFrom}`], shown);
    }
    if (args.equals !== undefined && etag !== args.equals)
      return outcome(false, 'ETag unchanged', [args.equals], shown);
    return outcome(true, 'ETag is valid', [describe(args)], shown);
  },
};

function describe(args: EtagArgs): string {
  const parts = ['present'];
  if (args.strong) parts.push('strong');
  if (args.changedFrom !== undefined) parts.push(`not ${args.changedFrom}`);
  if (args.equals !== undefined) parts.push(`= ${args.equals}`);
  return parts.join(', ');
}
