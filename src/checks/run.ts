// Evaluating a check never throws: a bug or an unexpected body shape becomes a failed outcome
// with the reason, so one bad check cannot abort a run.
import type { Exchange } from '../model/exchange.js';
import type { CheckResult } from '../model/result.js';
import { CHECKS } from './registry.js';
import { ResponseView } from './response-view.js';
import type { CheckContext } from './types.js';
import type { ObjectScope } from './scope.js';

export function evaluateCheck(kind: string, args: unknown, ctx: CheckContext, at?: string): CheckResult {
  const check = CHECKS.get(kind);
  const base = at ? { at } : {};
  if (!check)
    return { kind, ok: false, description: `unknown check kind '${kind}'`, expected: [], actual: '', ...base };
  if (!ctx.exchange.response) {
    return {
      kind,
      ok: false,
      description: check.summary,
      expected: ['a response'],
      actual: ctx.exchange.error ?? 'no response',
      ...base,
    };
  }
  try {
    return { kind, ...check.run(args, ctx), ...base };
  } catch (error) {
    return {
      kind,
      ok: false,
      description: `check raised an error`,
      expected: [],
      actual: (error as Error).message,
      ...base,
    };
  }
}

/** With a scope (shared-calendar mode), checks see only the scenario's own multistatus responses. */
export function contextFor(exchange: Exchange, baseUrl: string, scope?: ObjectScope): CheckContext {
  const ctx: CheckContext = {
    exchange,
    view: new ResponseView(exchange, scope ? { ...scope, baseUrl } : undefined),
    baseUrl,
    ...(scope ? { scope } : {}),
  };
  ctx.evaluate = (kind, args) => {
    const { ok, description, expected, actual } = evaluateCheck(kind, args, ctx);
    return { ok, description, expected, actual };
  };
  return ctx;
}

export * from './types.js';
export type { ObjectScope } from './scope.js';
export { CHECKS, checkKind } from './registry.js';
export { ResponseView } from './response-view.js';
