// Shards merge exactly: n shard results built from known latencies, merged through the files
// and `calspec merge`, give the same percentiles as one histogram fed every value.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mergeCommand } from '../../src/cli/merge.js';
import { newHistogram, summarize, decodeHistogram } from '../../src/load/histogram.js';
import { finishResults, mergeResults } from '../../src/load/results.js';
import { LabelRecorder, mergePartials } from '../../src/load/stats.js';
import { parseThreshold } from '../../src/load/thresholds.js';
import type { LoadResults } from '../../src/model/load.js';

/** A deterministic heavy-tailed latency (µs) for request i. */
function latency(i: number): number {
  const x = ((i * 2654435761) >>> 0) / 2 ** 32;
  return Math.round(200 + 5000 * x ** 8 + (i % 997 === 0 ? 2_000_000 : 0));
}

function shard(index: number, count: number, total: number): LoadResults {
  const labels = ['calendar-query', 'multiget'].map((l) => new LabelRecorder(l));
  for (let i = index; i < total; i += count)
    labels[i % 2]!.record(latency(i), i % 50 === 0 ? 500 : 207, i % 50 === 0 ? '5xx' : undefined);
  const { labels: stats, overall } = mergePartials([labels.map((r) => r.partial())]);
  return finishResults(
    {
      tool: { name: 'calspec', version: 't' },
      runId: `r${index}`,
      startedAt: '2030-01-01T00:00:00Z',
      finishedAt: '2030-01-01T00:01:00Z',
      target: { url: 'http://127.0.0.1/' },
      workload: 'w',
      model: 'open',
      connections: 4,
      rate: 100,
      workers: 1,
      shard: { index, count },
      durationMs: 60_000,
      warmupMs: 0,
      interrupted: false,
      warnings: [],
    },
    stats,
    overall,
    [{ t: 0, requests: 1, errors: 0 }],
    [],
  );
}

describe('load: merging shard results', () => {
  it('merged percentiles equal those of one histogram fed all values', async () => {
    const total = 50_000;
    const n = 4;
    const dir = mkdtempSync(join(tmpdir(), 'calspec-merge-'));
    const files = Array.from({ length: n }, (_, i) => {
      const f = join(dir, `shard-${i}.json`);
      writeFileSync(f, JSON.stringify(shard(i, n, total)));
      return f;
    });
    const out = join(dir, 'merged.json');
    const write = process.stdout.write;
    process.stdout.write = () => true;
    let code: number;
    try {
      code = await mergeCommand([...files, '-o', out, '--threshold', 'errors<5%', '--threshold', 'p99.99<1s']);
    } finally {
      process.stdout.write = write;
    }
    const merged = JSON.parse(readFileSync(out, 'utf8')) as LoadResults;
    const all = newHistogram();
    const perLabel = [newHistogram(), newHistogram()];
    for (let i = 0; i < total; i++) {
      all.recordValue(latency(i));
      perLabel[i % 2]!.recordValue(latency(i));
    }
    assert.deepEqual(merged.overall.latencyUs, summarize(all));
    assert.deepEqual(merged.labels.find((l) => l.label === 'calendar-query')!.latencyUs, summarize(perLabel[0]!));
    assert.deepEqual(merged.labels.find((l) => l.label === 'multiget')!.latencyUs, summarize(perLabel[1]!));
    for (const p of [50, 75, 95, 99.9, 99.99])
      assert.equal(decodeHistogram(merged.overall.histogram).getValueAtPercentile(p), all.getValueAtPercentile(p));
    assert.equal(merged.overall.requests, total);
    assert.equal(merged.overall.errors, total / 50);
    assert.equal(merged.overall.statusCounts['500'], total / 50);
    assert.equal(merged.connections, 16);
    assert.equal(merged.rate, 400);
    assert.equal(merged.timeline[0]!.requests, n);
    // errors are 2% (ok) but p99.99 includes the 2 s outliers (crossed) → exit 1.
    assert.deepEqual(
      merged.thresholds.map((t) => t.ok),
      [true, false],
    );
    assert.equal(code, 1);
    assert.equal(merged.exitCode, 1);
  });

  it('refuses files that are not load results', () => {
    assert.throws(
      () => mergeResults([{ file: 'x.json', results: { kind: 'run' } as unknown as LoadResults }], []),
      /x\.json: not a calspec load-results\.json/,
    );
    assert.throws(() => parseThreshold('p99 < fast'), /expected \[LABEL:\]METRIC<VALUE/);
  });
});
