// Baïkal 0.12.1 fixture: the source assembly script, the start script's refusal without sources, and
// (when the sources are on this machine) a started server that passes every method to sabre/dav.
// The whole corpus against it runs in real-servers.test.ts.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { baikalSourceDir, baikalSourceMissing } from '../helpers/baikal-source.js';
import { startScriptServer } from '../helpers/servers.js';
import { tempDir } from './helpers.js';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

// The mirrors the assembly script reads, as owner+name directories of bare repositories.
const MIRRORS: [string, string, Record<string, string>][] = [
  [
    'sabre-io+Baikal',
    '0.12.1',
    {
      'Core/Distrib.php': '<?php define("BAIKAL_VERSION", "0.12.1");\n',
      'html/dav.php': '<?php\n',
      LICENSE: 'GPL\n',
      'README.md': 'Baikal\n',
      'config/baikal.yaml.dist': 'system: {}\n',
    },
  ],
  [
    'sabre-io+dav',
    '4.7.1',
    { 'lib/DAV/Version.php': '<?php namespace Sabre\\DAV; class Version { const VERSION = "4.7.1"; }\n' },
  ],
  [
    'sabre-io+vobject',
    '4.6.0',
    { 'lib/Version.php': '<?php namespace Sabre\\VObject; class Version { const VERSION = "4.6.0"; }\n' },
  ],
  ['sabre-io+http', '5.1.13', { 'lib/functions.php': '<?php\n' }],
  [
    'sabre-io+event',
    '5.1.9',
    { 'lib/coroutine.php': '<?php\n', 'lib/Loop/functions.php': '<?php\n', 'lib/Promise/functions.php': '<?php\n' },
  ],
  [
    'sabre-io+xml',
    '2.2.11',
    { 'lib/Deserializer/functions.php': '<?php\n', 'lib/Serializer/functions.php': '<?php\n' },
  ],
  ['sabre-io+uri', '2.3.4', { 'lib/functions.php': '<?php\n' }],
  ['php-fig+log', '3.0.2', { 'src/LoggerInterface.php': '<?php namespace Psr\\Log; interface LoggerInterface {}\n' }],
  ['symfony+yaml', 'v7.0.3', { 'Yaml.php': '<?php namespace Symfony\\Component\\Yaml; class Yaml {}\n' }],
  ['symfony+polyfill-ctype', 'v1.29.0', { 'bootstrap.php': '<?php define("CALSPEC_CTYPE_BOOTSTRAPPED", 1);\n' }],
];

function git(dir: string, ...args: string[]) {
  execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], { stdio: 'ignore' });
}

function fakeMirrors(root: string): string {
  for (const [name, tag, files] of MIRRORS) {
    const work = join(root, 'work', name);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(work, path, '..'), { recursive: true });
      writeFileSync(join(work, path), text);
    }
    git(work, 'init', '-q');
    git(work, 'add', '-A');
    git(work, 'commit', '-q', '-m', 'x');
    git(work, 'tag', tag);
    execFileSync('git', ['clone', '-q', '--bare', work, join(root, 'mirrors', name, 'repo')], { stdio: 'ignore' });
  }
  return join(root, 'mirrors');
}

describe('interop: Baïkal 0.12.1 fixture (fixtures/servers/baikal.sh, scripts/sources/baikal.sh)', function () {
  this.timeout(120_000);

  it('knows where the sources go and says what is missing', () => {
    assert.equal(baikalSourceDir({ BAIKAL_SRC: '/x/y' }), '/x/y');
    assert.equal(baikalSourceDir({ XDG_CACHE_HOME: '/c' }), '/c/calspec/sources/baikal-0.12.1');
    const empty = tempDir('baikal-none');
    assert.match(baikalSourceMissing({ BAIKAL_SRC: empty }) ?? '', /no Baïkal 0\.12\.1 tree at .*baikal\.sh/);
    // The release zip unpacks into baikal/: its parent folder counts too.
    mkdirSync(join(empty, 'baikal', 'Core'), { recursive: true });
    mkdirSync(join(empty, 'baikal', 'vendor'));
    writeFileSync(join(empty, 'baikal', 'Core', 'Distrib.php'), '');
    writeFileSync(join(empty, 'baikal', 'vendor', 'autoload.php'), '');
    assert.equal(baikalSourceMissing({ BAIKAL_SRC: empty }), undefined);
  });

  it('start without sources fails, names the release zip and the assembly script, prints no URL', () => {
    const r = spawnSync('bash', ['fixtures/servers/baikal.sh', 'start'], {
      env: { ...process.env, BAIKAL_SRC: tempDir('baikal-nosrc'), CALSPEC_STATE: tempDir('baikal-state') },
      encoding: 'utf8',
    });
    assert.notEqual(r.status, 0);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /releases\/download\/0\.12\.1\/baikal-0\.12\.1\.zip/);
    assert.match(r.stderr, /scripts\/sources\/baikal\.sh MIRRORS/);
  });

  it('the assembly script refuses without mirrors (exit 2, names what it needs)', () => {
    const r = spawnSync('bash', ['scripts/sources/baikal.sh'], {
      env: { ...process.env, CALSPEC_MIRRORS: '' },
      encoding: 'utf8',
    });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /sabre-io\+dav .*symfony\+polyfill-ctype/);
    const missing = spawnSync(
      'bash',
      ['scripts/sources/baikal.sh', tempDir('baikal-nomirror'), tempDir('baikal-out')],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no git mirror sabre-io\+Baikal/);
  });

  it('assembles a tree whose autoloader, files and installed.json work', function () {
    if (!has('git') || !has('php')) this.skip();
    const root = tempDir('baikal-asm');
    const mirrors = fakeMirrors(root);
    const out = join(root, 'tree');
    const r = spawnSync('bash', ['scripts/sources/baikal.sh', mirrors, out], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), out);
    const php =
      'require $argv[1] . "/vendor/autoload.php"; echo Sabre\\VObject\\Version::VERSION, " ", ' +
      'Sabre\\DAV\\Version::VERSION, " ", interface_exists("Psr\\\\Log\\\\LoggerInterface") ? "psr" : "-", " ", ' +
      'defined("CALSPEC_CTYPE_BOOTSTRAPPED") ? "files" : "-";';
    assert.equal(execFileSync('php', ['-r', php, out], { encoding: 'utf8' }), '4.6.0 4.7.1 psr files');
    const installed = JSON.parse(readFileSync(join(out, 'vendor/composer/installed.json'), 'utf8')) as {
      packages: { name: string; version: string; source: { reference: string } }[];
    };
    const dav = installed.packages.find((p) => p.name === 'sabre/dav');
    assert.equal(dav?.version, '4.7.1');
    assert.match(dav?.source.reference ?? '', /^[0-9a-f]{40}$/);
    const versions = spawnSync('bash', ['fixtures/servers/baikal.sh', 'versions'], {
      env: { ...process.env, BAIKAL_SRC: out },
      encoding: 'utf8',
    });
    assert.match(versions.stdout, /^baikal 0\.12\.1 \([0-9a-f]{12}\)\n/);
    assert.match(versions.stdout, /\nsymfony\/yaml 7\.0\.3 \(/);
  });

  describe('a started server (needs the Baïkal sources)', () => {
    let url = '';
    let stop = () => {};
    before(function () {
      const missing = baikalSourceMissing();
      if (missing) {
        process.stdout.write(`      skipped: ${missing}\n`);
        this.skip();
      }
      const s = startScriptServer('baikal', 'BAIKAL_PORT', 8394);
      url = s.url;
      stop = s.stop;
    });
    after(() => stop());

    const auth = { authorization: `Basic ${Buffer.from('test:test').toString('base64')}` };

    it("serves dav.php with Baïkal's plugins, /.well-known/caldav as 308, and passes ACL to PHP", async () => {
      assert.match(url, /^http:\/\/127\.0\.0\.1:8394\/dav\.php\/$/);
      const opt = await fetch(url, { method: 'OPTIONS', headers: auth });
      assert.equal(opt.headers.get('x-sabre-version'), '4.7.1');
      assert.match(opt.headers.get('dav') ?? '', /calendar-access.*calendar-auto-schedule/);
      const wk = await fetch(new URL('/.well-known/caldav', url), { redirect: 'manual' });
      assert.equal(wk.status, 308);
      assert.equal(wk.headers.get('location'), '/dav.php');
      // php -S would answer 501 itself; sabre parses the (empty) body and refuses it with 400.
      const acl = await fetch(new URL('calendars/test/default/', url), { method: 'ACL', headers: auth });
      assert.equal(acl.status, 400);
      assert.equal(acl.headers.get('x-sabre-version'), '4.7.1');
    });

    it('has the users with Basic auth and their default calendars', async () => {
      const home = await fetch(new URL('calendars/user3/default/', url), {
        method: 'PROPFIND',
        headers: { authorization: `Basic ${Buffer.from('user3:pass3').toString('base64')}`, depth: '0' },
      });
      assert.equal(home.status, 207);
      const wrong = await fetch(new URL('calendars/test/', url), {
        method: 'PROPFIND',
        headers: { authorization: `Basic ${Buffer.from('test:nope').toString('base64')}` },
      });
      assert.equal(wrong.status, 401);
      // Baïkal hashes with its realm BaikalDAV but never hands it to sabre's Basic challenge.
      assert.match(wrong.headers.get('www-authenticate') ?? '', /^Basic realm="sabre\/dav"/);
    });
  });
});
