// autocannon as the benchmark peer, in its own process. argv: URL CONNECTIONS DURATION_S
// autocannon validates `method` against a fixed list (GET, POST, PUT, ...: no REPORT). The list
// is a module-level array, so adding REPORT to it in this process works as long as autocannon
// runs in-process (no `workers`: worker threads load their own, unpatched copy).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const methods = require('autocannon/lib/httpMethods.js') as string[];
if (!methods.includes('REPORT')) methods.push('REPORT');
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<{
  requests: { total: number };
  duration: number;
  errors: number;
  non2xx: number;
  latency: { p99: number };
}>;
const { REPORT_BODY } = await import('./report-body.js');

const [url = '', c = '16', d = '10'] = process.argv.slice(2);
const result = await autocannon({
  url,
  connections: Number(c),
  duration: Number(d),
  pipelining: 1,
  method: 'REPORT',
  body: REPORT_BODY,
  headers: { 'content-type': 'application/xml; charset=utf-8', depth: '1', authorization: 'Basic YmVuY2g6YmVuY2g=' },
});
process.stdout.write(
  JSON.stringify({
    requests: result.requests.total,
    rps: result.requests.total / result.duration,
    errors: result.errors,
    non2xx: result.non2xx,
    p99ms: result.latency.p99,
  }) + '\n',
);
