// The engine against scripted loopback servers: the open model charges a stall to every request
// that should have been sent meanwhile (no coordinated omission), the closed model does not and
// says so; sampled validation counts a 207 with wrong hrefs as an error; bounds always hold.
import assert from 'node:assert/strict';
import { Engine } from '../../src/load/engine.js';
import { CLOSED_MODEL_WARNING, resultsFromPartials, type ResultsMeta } from '../../src/load/results.js';
import { startLoad } from '../../src/load/workers.js';
import type { LoadResults } from '../../src/model/load.js';
import { config, multistatus, tinyServer } from './helpers.js';

function meta(model: 'closed' | 'open'): ResultsMeta {
  return {
    tool: { name: 'calspec', version: 'test' }, runId: 't', startedAt: '', finishedAt: '', target: { url: 'x' }, workload: 'w',
    model, connections: 1, workers: 1, durationMs: 1500, warmupMs: 0, interrupted: false, warnings: model === 'closed' ? [CLOSED_MODEL_WARNING] : [],
  };
}

describe('load: engine', function () {
  this.timeout(15_000);

  it('open model: a 200 ms stall on 1% of requests shows in p99; closed model hides it and warns', async () => {
    // Every 100th request sleeps 200 ms: exactly 1% of the requests the server sees.
    const server = await tinyServer((n, _req, res) => {
      const reply = () => res.writeHead(207, { 'content-type': 'application/xml' }).end(multistatus('/cal/a.ics'));
      if (n % 100 === 99) setTimeout(reply, 200);
      else reply();
    });
    try {
      const closed = await new Engine(config(server.url, { connections: 1, durationMs: 1500 })).run();
      const open = await new Engine(config(server.url, { connections: 1, durationMs: 1500, model: 'open', rate: 200 })).run();
      const c: LoadResults = resultsFromPartials(meta('closed'), [closed], []);
      const o: LoadResults = resultsFromPartials(meta('open'), [open], []);
      // Closed: only the stalled request itself is slow (1%), so p99 does not show the stall
      // (the margin is for a busy CI machine).
      assert.ok(c.overall.latencyUs.p99 < 150_000, `closed p99 ${c.overall.latencyUs.p99} µs`);
      assert.ok(c.overall.latencyUs.max >= 190_000, `closed max ${c.overall.latencyUs.max} µs`);
      assert.ok(c.warnings.some((w) => w.includes('coordinated omission')));
      // Open at 200/s: the ~40 slots due during each stall are charged their wait.
      assert.ok(o.overall.latencyUs.p99 >= 150_000, `open p99 ${o.overall.latencyUs.p99} µs`);
      assert.ok(o.overall.latencyUs.p90 >= 10_000, `open p90 ${o.overall.latencyUs.p90} µs`);
      assert.ok(!o.warnings.some((w) => w.includes('coordinated omission')));
      // The open model keeps to its rate (±15%) instead of going as fast as possible.
      assert.ok(Math.abs(o.overall.requests - 300) < 45, `open requests ${o.overall.requests}`);
    } finally {
      await server.close();
    }
  });

  it('sampled validation counts a 207 with the wrong hrefs as a wrong-body error', async () => {
    const server = await tinyServer((n, _req, res) => res.writeHead(207).end(n % 2 ? multistatus('/cal/a.ics') : multistatus('/cal/WRONG.ics')));
    try {
      const expect = { status: [207], checks: [['multistatus', { hrefs: ['/cal/a.ics'], only: true }]] as [string, unknown][] };
      const p = await new Engine(config(server.url, { connections: 1, durationMs: 10_000, maxRequests: 200, validateFraction: 1 }, expect)).run();
      const label = p.labels[0]!;
      assert.equal(label.requests, 200);
      assert.equal(label.errorClasses['wrong-body'], 100);
      assert.equal(label.errors, 100);
      assert.equal(label.statusCounts['207'], 200);
      assert.match(p.samples[0]!, /multistatus lists/);
    } finally {
      await server.close();
    }
  });

  it('classifies statuses and transport errors, and enforces --max-requests across workers', async () => {
    const server = await tinyServer((n, _req, res) => {
      if (n % 10 === 0) res.writeHead(503).end();
      else if (n % 10 === 1) res.writeHead(404).end();
      else if (n % 10 === 2) res.destroy();
      else res.writeHead(207).end(multistatus('/cal/a.ics'));
    });
    try {
      const partials = await startLoad(config(server.url, { connections: 4, durationMs: 10_000, maxRequests: 301 }), 2).done;
      assert.equal(partials.length, 2);
      const r = resultsFromPartials(meta('closed'), partials, []);
      assert.equal(r.overall.requests, 301);
      assert.ok(r.overall.errorClasses['5xx']! > 0 && r.overall.errorClasses['4xx']! > 0 && r.overall.errorClasses.reset! > 0, JSON.stringify(r.overall.errorClasses));
      assert.equal(r.overall.errors, Object.values(r.overall.errorClasses).reduce((s, v) => s + v, 0));
    } finally {
      await server.close();
    }
  });

  it('stops at the duration and excludes warm-up', async () => {
    const server = await tinyServer((_n, _req, res) => res.writeHead(207).end(multistatus('/cal/a.ics')));
    try {
      const t0 = Date.now();
      const p = await new Engine(config(server.url, { warmupMs: 300, durationMs: 500 })).run();
      const elapsed = Date.now() - t0;
      assert.ok(elapsed < 1500, `took ${elapsed} ms`);
      assert.ok(p.warmupRequests > 0);
      const timeline = p.timeline.reduce((s, t) => s + t.requests, 0);
      assert.equal(timeline, p.labels[0]!.requests);
      assert.equal(server.count(), p.warmupRequests + p.labels[0]!.requests);
    } finally {
      await server.close();
    }
  });
});
