// `status`: the response status code is one of the expected ones.
//   - status: 201            - status: [200, 204]          - status: 2xx
import type { CheckKind } from './types.js';
import { outcome } from './types.js';

export type StatusArgs = number | string | (number | string)[];

const one = {
  oneOf: [
    { type: 'integer', minimum: 100, maximum: 599 },
    { type: 'string', pattern: '^[1-5](xx|\\d\\d)$' },
  ],
};

export const statusCheck: CheckKind<StatusArgs> = {
  name: 'status',
  summary: 'response status is one of the given codes or classes (e.g. 201, [200, 204], 2xx)',
  schema: { oneOf: [one, { type: 'array', items: one, minItems: 1 }] },
  example: [201, 204],
  run(args, { view }) {
    const wanted = (Array.isArray(args) ? args : [args]).map(String);
    const actual = view.status;
    const ok = actual !== undefined && wanted.some((w) => statusMatches(w, actual));
    return outcome(
      ok,
      `status is ${wanted.join(' or ')}`,
      wanted,
      actual === undefined ? '(no response)' : String(actual),
    );
  },
};

export function statusMatches(pattern: string, status: number): boolean {
  if (/^[1-5]xx$/.test(pattern)) return Math.floor(status / 100) === Number(pattern[0]);
  return Number(pattern) === status;
}
