// Secrets never leave calspec: a run with a distinctive password (Basic) and one with a bearer
// token (`serve --layout google`), every reporter on, a deliberately failing scenario so that
// exchanges are rendered; then every output file and the captured stdout/stderr are searched for
// the secret, its base64 (alone and as user:secret) and URL-encoded forms. Zero hits.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCalspec, startServeChild } from './child.js';

const dir = mkdtempSync(join(tmpdir(), 'calspec-secrets-'));

function forms(user: string, secret: string): string[] {
  return [
    secret,
    Buffer.from(secret).toString('base64'),
    Buffer.from(`${user}:${secret}`).toString('base64'),
    encodeURIComponent(secret),
    encodeURIComponent(encodeURIComponent(secret)),
  ];
}

function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const p = join(root, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

function assertNoSecret(texts: { where: string; text: string }[], needles: string[]): void {
  const hits = texts.flatMap(({ where, text }) => needles.filter((n) => text.includes(n)).map((n) => `${where}: ${n}`));
  assert.deepEqual(hits, []);
}

describe('reliability: secrets in outputs', function () {
  this.timeout(60_000);

  it('Basic password: no trace in console, JSON, JUnit, HTML, Markdown, stdout or stderr', async () => {
    const secret = 'Pz9!cs/Secret+x=42%';
    const serve = await startServeChild(`test:${secret}`);
    try {
      const pwFile = join(dir, 'pw');
      writeFileSync(pwFile, `${secret}\n`);
      const out = join(dir, 'basic');
      const child = startCalspec([
        'run',
        '-t',
        serve.url,
        '-u',
        'test',
        '--password-file',
        pwFile,
        '-r',
        'console,json,junit,html,markdown',
        '-o',
        out,
        '--timeout',
        '5000',
        'test/reliability/suites',
        'test/fixtures/suites',
      ]);
      const { code } = await child.exited;
      assert.equal(code, 1, `the deliberately wrong expectation fails the run: ${child.err()}`);
      const files = filesUnder(out);
      for (const ext of ['results.json', 'junit.xml', 'index.html', 'summary.md'])
        assert.ok(
          files.some((f) => f.endsWith(ext)),
          `${ext} written`,
        );
      assertNoSecret(
        [
          ...files.map((f) => ({ where: f, text: readFileSync(f, 'latin1') })),
          { where: 'stdout', text: child.out() },
          { where: 'stderr', text: child.err() },
        ],
        forms('test', secret),
      );
      assert.match(readFileSync(join(out, 'results.json'), 'utf8'), /"authorization": "Basic \[redacted\]"/);
    } finally {
      await serve.stop();
    }
  });

  it('bearer token (--layout google): no trace anywhere either', async () => {
    const token = 'ya29.Tok3n-Calspec_Secret/42+x=';
    const serve = await startServeChild(`test:${token}`, ['--layout', 'google']);
    try {
      const profile = join(dir, 'google.yaml');
      writeFileSync(
        profile,
        'name: google-test\ndisplayName: reference server, google layout\nverified: false\n' +
          'auth: bearer\nlayout:\n  principal: /caldav/v2/{user}/user\n  home: /caldav/v2/{user}/\n' +
          '  calendar: /caldav/v2/{user}/events/\nfeatures:\n  mkcalendar: false\n',
      );
      const out = join(dir, 'bearer');
      const child = startCalspec([
        'run',
        '-t',
        serve.url,
        '-u',
        'test',
        '--password',
        token,
        '--auth',
        'bearer',
        '-p',
        profile,
        '-r',
        'console,json,junit,html,markdown',
        '-o',
        out,
        '--timeout',
        '5000',
        'test/reliability/suites',
        'test/fixtures/suites',
      ]);
      const { code } = await child.exited;
      assert.ok(code === 0 || code === 1, child.err());
      const files = filesUnder(out);
      assert.ok(files.length >= 4, 'reports written');
      assertNoSecret(
        [
          ...files.map((f) => ({ where: f, text: readFileSync(f, 'latin1') })),
          { where: 'stdout', text: child.out() },
          { where: 'stderr', text: child.err() },
        ],
        forms('test', token),
      );
      assert.match(readFileSync(join(out, 'results.json'), 'utf8'), /"authorization": "Bearer \[redacted\]"/);
    } finally {
      await serve.stop();
    }
  });
});
