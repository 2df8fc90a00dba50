// `calspec load` end to end against the embedded reference server: seeding into calspec-<runid>
// calendars, the run, load-results.json, and cleanup leaving nothing behind; plus usage guards.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCommand } from '../../src/cli/load.js';
import { Authenticator } from '../../src/dav/auth.js';
import { DavClient } from '../../src/dav/http.js';
import { CalspecError } from '../../src/model/exit-codes.js';
import type { LoadResults } from '../../src/model/load.js';
import { startReferenceServer, type RunningServer } from '../../src/server/index.js';

async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const out = process.stdout.write;
  const err = process.stderr.write;
  process.stdout.write = () => true;
  process.stderr.write = () => true;
  try {
    return await fn();
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

async function homeListing(server: RunningServer, user: string, password: string): Promise<string> {
  const client = new DavClient();
  const home = new URL(`/calendars/${user}/`, server.url).toString();
  const ex = await client.send({
    method: 'PROPFIND',
    url: home,
    headers: { depth: '1' },
    body: '<d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/></d:prop></d:propfind>',
    auth: new Authenticator({ user, password, kind: 'basic' }),
  });
  await client.close();
  assert.equal(ex.response?.status, 207);
  return ex.response!.body;
}

describe('load: calspec load against the reference server', function () {
  this.timeout(30_000);
  let server: RunningServer;
  before(async () => {
    server = await startReferenceServer({ port: 0, quiet: true });
  });
  after(async () => server.stop());

  it('seeds, runs the iphone profile, writes load-results.json and cleans up', async () => {
    const out = mkdtempSync(join(tmpdir(), 'calspec-load-'));
    const code = await quietly(() =>
      loadCommand([
        'iphone',
        '-t',
        server.url,
        '-u',
        'test',
        '--password',
        'test',
        '--user2',
        'user1',
        '--password2',
        'pass1',
        '-d',
        '1s',
        '--warmup',
        '200ms',
        '-c',
        '4',
        '-w',
        '2',
        '--validate-fraction',
        '0.2',
        '--run-id',
        'loadtest1',
        '-o',
        out,
        '--threshold',
        'errors<1%',
      ]),
    );
    const results = JSON.parse(readFileSync(join(out, 'load-results.json'), 'utf8')) as LoadResults;
    assert.equal(code, 0, JSON.stringify(results.overall.errorClasses) + results.warnings.join('\n'));
    assert.equal(results.kind, 'load');
    assert.equal(results.runId, 'loadtest1');
    assert.equal(results.workers, 2);
    assert.deepEqual(results.labels.map((l) => l.label).sort(), [
      'churn.delete',
      'churn.put',
      'ctag',
      'multiget',
      'sync-incremental',
      'sync-initial',
    ]);
    assert.ok(results.overall.requests > 50, `${results.overall.requests} requests`);
    assert.equal(results.overall.errors, 0);
    assert.ok(results.thresholds[0]!.ok);
    assert.ok(results.warnings.some((w) => w.includes('coordinated omission')));
    if (existsSync(join(out, 'index.html'))) assert.match(readFileSync(join(out, 'index.html'), 'utf8'), /<html/);
    for (const [user, password] of [
      ['test', 'test'],
      ['user1', 'pass1'],
    ] as const) {
      assert.doesNotMatch(await homeListing(server, user, password), /calspec-loadtest1/);
    }
  });

  it('refuses a non-loopback target without --allow-remote, and bad arguments, with exit 2', async () => {
    const base = ['iphone', '-u', 'test', '--password', 'test'];
    const usage = async (args: string[], pattern: RegExp) =>
      assert.rejects(
        loadCommand(args),
        (e: unknown) => e instanceof CalspecError && e.exitCode === 2 && pattern.test(e.message),
      );
    await usage([...base, '-t', 'http://10.1.2.3/'], /refusing to send load to 10\.1\.2\.3/);
    await usage([...base, '-t', server.url, '--shard', '3/3'], /--shard/);
    await usage([...base, '-t', server.url, '--threshold', 'p99<fast'], /--threshold/);
    await usage([...base, '-t', server.url, '--duration', '2h30'], /--duration/);
    await usage(
      ['no-such-profile', '-t', server.url, '-u', 'test', '--password', 'test'],
      /no such file or bundled profile/,
    );
    await usage([...base, '-t', server.url, '--ca', '/nonexistent/ca.pem'], /--ca: cannot read/);
    // A URL that is not http(s) is a target error, as for calspec run.
    await assert.rejects(
      loadCommand([...base, '-t', 'ftp://127.0.0.1/']),
      (e: unknown) => e instanceof CalspecError && e.exitCode === 3 && /invalid target URL/.test(e.message),
    );
  });
});
