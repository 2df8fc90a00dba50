// The contract every check kind implements. Checks judge a recorded exchange; they never send requests.
import type { Exchange } from '../model/exchange.js';
import type { ResponseView } from './response-view.js';
import type { ObjectScope } from './scope.js';

/** A JSON Schema object (ajv draft-07 dialect) describing a check's arguments. */
export type JsonSchema = Record<string, unknown>;

export interface CheckOutcome {
  ok: boolean;
  /** What was checked, e.g. `status is one of [201, 204]`. */
  description: string;
  expected: string[];
  actual: string;
  /** Informational remarks that do not affect `ok`, e.g. a legal change the server made. */
  notes?: string[];
}

export interface CheckContext {
  exchange: Exchange;
  /** Lazily parsed views of the response body (XML, multistatus, iCalendar). */
  view: ResponseView;
  /** Base URL of the target, for resolving hrefs. */
  baseUrl: string;
  /**
   * Shared-calendar mode: only the scenario's own objects count; the view's XML and multistatus
   * already leave the others out (scope.ts). Data, never a request: checks still only judge.
   */
  scope?: ObjectScope;
  /** Evaluates another check on the same exchange (for combinators such as any-of). */
  evaluate?: (kind: string, args: unknown) => CheckOutcome;
}

export interface CheckKind<A = unknown> {
  name: string;
  /** One line for `calspec checks` and docs. */
  summary: string;
  /** JSON Schema of the arguments; merged into the suite schema so typos fail at load time. */
  schema: JsonSchema;
  /** Example arguments, used by docs and by tests that prove each kind can fail. */
  example: A;
  run(args: A, ctx: CheckContext): CheckOutcome;
}

export function outcome(ok: boolean, description: string, expected: string[], actual: string): CheckOutcome {
  return { ok, description, expected, actual };
}
