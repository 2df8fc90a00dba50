// End to end against the embedded reference server: `run` with selection options runs exactly what
// `list` shows, and `diff` of a clean run and a faulty one reports the fault's scenarios as new failures.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReferenceServer } from '../../src/server/index.js';

// Asynchronous: the server runs in this process, so a blocking spawn would never be answered.
function calspec(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      { timeout: 120_000 },
      (error, out, err) => resolve({ code: error ? Number((error as { code?: number }).code ?? 70) : 0, out, err }),
    );
  });
}

const SELECT = ['--rfc', '4791', '--section', '9.6', '--level', 'MUST', '--exclude', 'novalue'];
const dir = mkdtempSync(join(tmpdir(), 'calspec-select-run-'));

async function runOn(faults: string[], out: string): Promise<string[]> {
  const server = await startReferenceServer({
    port: 0,
    users: [{ name: 'test', password: 'pw' }],
    faults,
    quiet: true,
  });
  try {
    const args = ['run', '-t', server.url, '-u', 'test', '--password', 'pw', '-r', 'json', '-o', join(dir, out)];
    await calspec([...args, ...SELECT]);
  } finally {
    await server.stop();
  }
  const results = JSON.parse(readFileSync(join(dir, out, 'results.json'), 'utf8')) as {
    suites: Array<{ scenarios: Array<{ key: string }> }>;
  };
  return results.suites.flatMap((s) => s.scenarios.map((x) => x.key)).sort();
}

describe('selection and diff end to end (reference server)', function () {
  this.timeout(300_000);

  it('run picks what list shows, and diff flags the new failures of a fault', async () => {
    const listed = (JSON.parse((await calspec(['list', '--json', ...SELECT])).out) as Array<{ key: string }>)
      .map((r) => r.key)
      .sort();
    assert.ok(listed.length > 5 && listed.every((k) => !k.includes('novalue')), listed.join(' '));
    assert.deepEqual(await runOn([], 'clean'), listed);
    await runOn(['caldata-wrong-namespace'], 'faulty');
    const clean = join(dir, 'clean', 'results.json');
    const faulty = join(dir, 'faulty', 'results.json');
    const worse = await calspec(['diff', clean, faulty]);
    assert.equal(worse.code, 1, worse.out + worse.err);
    assert.match(worse.out, /new failures \(\d+\):\n {2}rfc4791\/9\.6/);
    const better = await calspec(['diff', faulty, clean]);
    assert.equal(better.code, 0, better.err);
    assert.match(better.out, /0 new failures, [1-9]\d* fixed/);
  });
});
