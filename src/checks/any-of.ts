// `any-of`: the RFC allows several correct answers. Passes when every check of at least one
// alternative passes; a failure lists what each alternative expected.
//   - any-of:
//       - [ { status: 207 } ]
//       - [ { status: [403, 409] }, { dav-error: c:supported-filter } ]
import type { CheckKind } from './types.js';
import { outcome } from './types.js';

export type AnyOfArgs = Record<string, unknown>[][];

export const anyOfCheck: CheckKind<AnyOfArgs> = {
  name: 'any-of',
  summary: 'passes when all checks of at least one alternative pass (for answers the RFC leaves open)',
  // The items refer to the suite schema's own check definition (see src/suite/schema.ts).
  schema: { type: 'array', minItems: 2, items: { type: 'array', minItems: 1, items: { $ref: '#/definitions/check' } } },
  example: [[{ status: 207 }], [{ status: [403, 409] }, { 'dav-error': 'c:supported-filter' }]],
  run(args, ctx) {
    if (!ctx.evaluate) return outcome(false, 'any-of', [], 'no evaluator in this context');
    const expected: string[] = [];
    const misses: string[] = [];
    for (const [i, alternative] of args.entries()) {
      const results = alternative.map((item) => {
        const kind = Object.keys(item)[0]!;
        return ctx.evaluate!(kind, item[kind]);
      });
      if (results.every((r) => r.ok))
        return outcome(
          true,
          `alternative ${i + 1} holds`,
          [results.map((r) => r.description).join(' and ')],
          results.map((r) => r.actual).join('; '),
        );
      expected.push(results.map((r) => `${r.description} (${r.expected.join(' | ')})`).join(' and '));
      const miss = results.find((r) => !r.ok)!;
      misses.push(`#${i + 1}: ${miss.description}: got ${miss.actual.split('\n')[0]}`);
    }
    return outcome(false, `one of ${args.length} alternatives`, expected, misses.join('; '));
  },
};
