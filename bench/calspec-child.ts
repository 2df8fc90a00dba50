// One calspec measurement in its own process (so CPU time and RSS are calspec's alone).
// argv: URL CONNECTIONS DURATION_MS WORKERS MAX_REQUESTS; prints one JSON line.
import { LoadDriver, type LoadDriverConfig } from '../src/load/driver.js';
import type { LoadPlan } from '../src/load/plan.js';
import { mergePartials } from '../src/load/stats.js';
import { startLoad } from '../src/load/workers.js';
import { REPORT_BODY } from './report-body.js';

const [url = '', c = '16', d = '10000', w = '1', max = '10000000'] = process.argv.slice(2);
const path = new URL(url).pathname;
const plan: LoadPlan = {
  baseUrl: url,
  accounts: [{ user: 'bench', password: 'bench', kind: 'basic' }],
  notes: [],
  ops: [
    {
      label: 'calendar-query',
      weight: 1,
      // Sampled validation stays on (1%): the benchmark measures calspec as it runs for real.
      variants: [
        {
          method: 'REPORT',
          path,
          headers: ['content-type', 'application/xml; charset=utf-8', 'depth', '1'],
          body: REPORT_BODY,
          account: 0,
          expect: { status: [207], checks: [['multistatus', { hrefs: ['/cal/a.ics'] }]] },
        },
      ],
    },
  ],
};
const config: LoadDriverConfig = {
  plan,
  connections: Number(c),
  connectionBase: 0,
  model: 'closed',
  startAt: Date.now() + 20,
  warmupMs: 0,
  durationMs: Number(d),
  maxRequests: Number(max),
  timeoutMs: 10_000,
  validateFraction: 0.01,
};
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let rssPeak = 0;
let rssAt100k = 0;
// Peak RSS within each tenth of the request budget (1-worker runs): a leak shows as a rising
// series, GC noise as a flat one.
const rssByTenth: number[] = [];
let engine: LoadDriver | undefined;
const sampler = setInterval(() => {
  const rss = process.memoryUsage().rss;
  rssPeak = Math.max(rssPeak, rss);
  if (!rssAt100k && engine && engine.sent >= 100_000) rssAt100k = rssPeak;
  if (engine) {
    const tenth = Math.min(9, Math.floor((engine.sent / Number(max)) * 10));
    rssByTenth[tenth] = Math.max(rssByTenth[tenth] ?? 0, rss);
  }
}, 50);
let partials;
if (Number(w) === 1) {
  engine = new LoadDriver(config);
  partials = [await engine.run()];
} else {
  partials = await startLoad(config, Number(w)).done;
}
clearInterval(sampler);
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const { overall } = mergePartials(partials.map((p) => p.labels));
const measured = Math.max(...partials.map((p) => p.measuredMs)) / 1000;
process.stdout.write(
  `${JSON.stringify({
    requests: overall.requests,
    errors: overall.errors,
    rps: overall.requests / measured,
    seconds,
    cpuUsPerRequest: (cpu.user + cpu.system) / overall.requests,
    rssPeakMiB: rssPeak / 2 ** 20,
    rssAt100kMiB: rssAt100k / 2 ** 20,
    rssByTenthMiB: rssByTenth.map((b) => Math.round((b / 2 ** 20) * 10) / 10),
    p99us: overall.latencyUs.p99,
  })}\n`,
);
