// Thresholds parse into exact units and decide the exit code.
import assert from 'node:assert/strict';
import { LabelRecorder, mergePartials } from '../../src/load/stats.js';
import { evaluateThresholds, parseThreshold } from '../../src/load/thresholds.js';
import { finishResults } from '../../src/load/results.js';
import { CalspecError } from '../../src/model/exit-codes.js';

function results(thresholds: string[], interrupted = false) {
  const q = new LabelRecorder('calendar-query');
  const m = new LabelRecorder('multiget');
  for (let i = 1; i <= 1000; i++) q.record(i * 100, 207, undefined); // 0.1 ms .. 100 ms
  for (let i = 1; i <= 1000; i++) m.record(1000, i <= 2 ? 500 : 207, i <= 2 ? '5xx' : undefined);
  const { labels, overall } = mergePartials([[q.partial(), m.partial()]]);
  return finishResults(
    {
      tool: { name: 'calspec', version: 't' },
      runId: 'r',
      startedAt: '',
      finishedAt: '',
      target: { url: 'x' },
      workload: 'w',
      model: 'closed',
      connections: 1,
      workers: 1,
      durationMs: 10_000,
      warmupMs: 0,
      interrupted,
      warnings: [],
    },
    labels,
    overall,
    [],
    thresholds.map(parseThreshold),
  );
}

describe('load: thresholds', () => {
  it('parses units and labels', () => {
    assert.deepEqual(parseThreshold('p99<200ms'), {
      expression: 'p99<200ms',
      metric: 'p99',
      op: '<',
      value: 200_000,
      percent: false,
    });
    assert.equal(parseThreshold('errors<0.1%').value, 0.001);
    assert.equal(parseThreshold('calendar-query:p95 <= 1.5s').label, 'calendar-query');
    assert.equal(parseThreshold('calendar-query:p95 <= 1.5s').value, 1_500_000);
    assert.equal(parseThreshold('rps>100').op, '>');
    for (const bad of ['p99<200', 'errors<1ms', 'p200<1ms', 'latency<1ms', 'p99<200%']) {
      assert.throws(
        () => parseThreshold(bad),
        (e: unknown) => e instanceof CalspecError && e.exitCode === 2,
        bad,
      );
    }
  });

  it('exit 0 when all hold, 1 when one is crossed, 4 when interrupted', () => {
    const ok = results(['p99<200ms', 'calendar-query:p50<=51ms', 'errors<0.2%', 'multiget:errors<=2', 'rps>=200']);
    assert.deepEqual(
      ok.thresholds.map((t) => t.ok),
      [true, true, true, true, true],
      JSON.stringify(ok.thresholds),
    );
    assert.equal(ok.exitCode, 0);
    const bad = results(['calendar-query:p95<50ms', 'errors<0.1%']);
    // 2 errors in 2000 requests is 0.1%: not below 0.1%.
    assert.deepEqual(
      bad.thresholds.map((t) => [t.ok, t.actual]),
      [
        [false, '95.04ms'],
        [false, '0.100%'],
      ],
    );
    assert.equal(bad.exitCode, 1);
    assert.equal(results([], true).exitCode, 4);
  });

  it('an unknown label fails the threshold and names the labels', () => {
    const [t] = evaluateThresholds([parseThreshold('nope:p99<1s')], results([]));
    assert.equal(t!.ok, false);
    assert.match(t!.actual, /no label 'nope'.*calendar-query, multiget/);
  });
});
