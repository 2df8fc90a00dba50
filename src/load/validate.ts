// Sampled correctness: a fraction of responses is judged by calspec's own checks (src/checks),
// the same code conformance runs use, so "fast but wrong" (a 207 listing the wrong hrefs) counts
// as an error instead of as throughput.
import { contextFor, evaluateCheck } from '../checks/run.js';
import type { Exchange } from '../model/exchange.js';
import type { Expectation } from './plan.js';

/** undefined when the response is right; otherwise one line saying what was wrong. */
export function validateSample(
  baseUrl: string,
  method: string,
  path: string,
  status: number,
  rawHeaders: Buffer[] | string[] | null,
  body: Buffer[],
  expect: Expectation,
): string | undefined {
  const headers: Record<string, string> = {};
  if (rawHeaders)
    for (let i = 0; i + 1 < rawHeaders.length; i += 2)
      headers[String(rawHeaders[i]).toLowerCase()] = String(rawHeaders[i + 1]);
  const exchange: Exchange = {
    request: { method, url: new URL(path, baseUrl).toString(), headers: {} },
    response: { status, headers, body: Buffer.concat(body).toString('utf8') },
    timings: { startedAt: Date.now(), totalMs: 0 },
  };
  const ctx = contextFor(exchange, baseUrl);
  const checks: [string, unknown][] = [['status', expect.status], ...expect.checks];
  for (const [kind, args] of checks) {
    const result = evaluateCheck(kind, args, ctx);
    if (!result.ok) return `${method} ${path}: ${result.description}: got ${result.actual.slice(0, 160)}`;
  }
  return undefined;
}
