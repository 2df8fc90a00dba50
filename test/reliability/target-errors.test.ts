// Discovery-time failures through the real CLI (node bin/calspec.js, built by `npm test`): refused,
// DNS failure, untrusted TLS, wrong password → exit 3 with their own one-line message, before any
// scenario runs (no report is written). With --ca the self-signed TLS target connects.
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReferenceServer, type RunningServer } from '../../src/server/index.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';

const dir = mkdtempSync(join(tmpdir(), 'calspec-rel-target-'));

export function calspec(
  args: string[],
  timeoutMs = 30_000,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/calspec.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe('reliability: target errors before any scenario (CLI, exit 3)', function () {
  this.timeout(60_000);
  let server: RunningServer;
  let tls: FaultProxy;
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');

  before(async () => {
    server = await startReferenceServer({ port: 0, users: [{ name: 'test', password: 'tls-pw-1' }], quiet: true });
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        keyFile,
        '-out',
        certFile,
      ],
      { stdio: 'ignore' },
    );
    tls = await startFaultProxy({
      upstream: server.url,
      tls: { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') },
    });
  });
  after(async () => {
    await tls?.close();
    await server?.stop();
  });

  const run = (target: string, extra: string[] = [], password = 'tls-pw-1') => {
    const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
    return calspec([
      'run',
      '-t',
      target,
      '-u',
      'test',
      '--password',
      password,
      '-r',
      'json',
      '-o',
      out,
      '--timeout',
      '3000',
      ...extra,
      'test/reliability/suites',
    ]).then((r) => ({ ...r, reported: existsSync(join(out, 'results.json')) }));
  };
  const oneLine = (err: string) => assert.equal(err.trim().split('\n').length, 1, `one line: ${err}`);

  it('connection refused', async () => {
    const r = await run(`http://127.0.0.1:${await closedPort()}/`);
    assert.equal(r.code, 3, r.err);
    assert.match(r.err, /^calspec: cannot reach http:\/\/127\.0\.0\.1:\d+\/: connection refused$/m);
    oneLine(r.err);
    assert.equal(r.reported, false);
  });

  it('DNS failure for an .invalid host', async () => {
    const r = await run('http://calspec-no-such-host.invalid/');
    assert.equal(r.code, 3, r.err);
    assert.match(r.err, /cannot reach http:\/\/calspec-no-such-host\.invalid\/: DNS lookup failed/);
    oneLine(r.err);
  });

  it('self-signed TLS without --ca or --insecure, then with --ca', async () => {
    const r = await run(tls.url);
    assert.equal(r.code, 3, r.err);
    assert.match(r.err, /TLS verification failed \(\w+\); pass --ca FILE for a private CA, or --insecure/);
    oneLine(r.err);
    assert.equal(r.reported, false);
    const ok = await run(tls.url, ['--ca', certFile]);
    assert.equal(ok.code, 0, ok.err + ok.out);
    assert.equal(ok.reported, true);
    const insecure = await run(tls.url, ['--insecure']);
    assert.equal(insecure.code, 0, insecure.err);
  });

  it('wrong password', async () => {
    const r = await run(server.url, [], 'not-the-password');
    assert.equal(r.code, 3, r.err);
    assert.match(r.err, /authentication failed for user 'test' at .* \(401\); check --user and the password/);
    assert.doesNotMatch(r.err, /not-the-password/);
    oneLine(r.err);
    assert.equal(r.reported, false);
  });
});
