// The published package works on its own: `npm pack` of this checkout, installed into an empty folder
// from the npm cache, runs `calspec --help`, `validate` and `demo` with nothing from the repository.
// Run from loading real files (suites, fixtures, profiles, schemas) through the installed copy, so a
// path missing from package.json's `files` fails here rather than for the first user.
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

// What the tarball may hold: the launcher, compiled code, suites, run-time fixtures, schemas, docs.
const ALLOWED = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^bin\/calspec\.js$/,
  /^dist\/.+\.js$/,
  /^suites\/.+\.ya?ml$/,
  /^schemas\/[^/]+\.(json|xsd)$/,
  /^fixtures\/(profiles|workloads)\/[^/]+\.yaml$/,
  /^fixtures\/ical\/.+\.ics$/,
  /^fixtures\/xml\/.+\.xml$/,
];

// npm passes its settings of the moment (flags like --call, the checkout as prefix) to children as
// npm_* variables; the nested npm must not inherit them. Only where packages come from is kept.
const KEEP = /^npm_config_(cache|registry|userconfig|globalconfig|https?_proxy|proxy|noproxy|strict_ssl|cafile|ca)$/i;

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const key of Object.keys(env))
    if ((/^npm_/i.test(key) && !KEEP.test(key)) || key === 'INIT_CWD') delete env[key];
  env.npm_config_update_notifier = 'false';
  return env;
}

function run(cmd: string, args: string[], cwd: string, timeout: number): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env: cleanEnv(), encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 });
}

function show(r: SpawnSyncReturns<string>): string {
  const tail = (text: string) => text.slice(-3000);
  const head = `exit ${r.status} signal ${r.signal}`;
  return `${head}\n--- stdout (tail)\n${tail(r.stdout)}\n--- stderr (tail)\n${tail(r.stderr)}`;
}

interface PackEntry {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}

describe('npm package (pack, install, run)', function () {
  this.timeout(150_000);
  let work = '';
  let app = '';
  let pack: PackEntry;

  before(function () {
    assert.ok(existsSync(join(ROOT, 'dist/cli/main.js')), 'dist/ is missing: run `npm run build` first');
    work = mkdtempSync(join(tmpdir(), 'calspec-pack-'));
    // --ignore-scripts: `npm test` has just built dist/; rebuilding here would double the time.
    const packed = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work, ROOT], work, 60_000);
    assert.equal(packed.status, 0, show(packed));
    pack = (JSON.parse(packed.stdout) as PackEntry[])[0]!;

    // An empty project of its own, so npm does not walk up and install into some parent folder.
    app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{ "name": "calspec-pack-test", "private": true }\n');
    const tarball = join(work, pack.filename);
    const flags = ['--no-audit', '--no-fund', '--no-package-lock'];
    let installed = run('npm', ['install', '--offline', ...flags, tarball], app, 90_000);
    // `npm ci` caches tarballs but not the registry's metadata, which a lock-less install needs; then
    // the registry is asked for metadata only (dependency tarballs still come from the cache).
    if (installed.status !== 0 && /ENOTCACHED/.test(installed.stderr))
      installed = run('npm', ['install', '--prefer-offline', ...flags, tarball], app, 90_000);
    assert.equal(installed.status, 0, show(installed));
  });

  after(function () {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('holds exactly the run-time files, nothing from tests, reports or server fixtures', function () {
    const paths = pack.files.map((f) => f.path);
    const stray = paths.filter((p) => !ALLOWED.some((re) => re.test(p)));
    assert.deepEqual(stray, [], `files outside the allowed set:\n${stray.join('\n')}`);
    for (const needed of ['bin/calspec.js', 'dist/cli/main.js', 'README.md', 'LICENSE', 'schemas/results.schema.json'])
      assert.ok(paths.includes(needed), `${needed} is missing from the tarball`);
    assert.ok(
      paths.some((p) => p.startsWith('suites/catalogue/')),
      'the requirement catalogue is missing',
    );
    assert.ok(paths.includes('fixtures/profiles/reference.yaml'), 'the reference profile is missing');
    // The checkout with interop reports and tests was ~15 MB; guard against them creeping back.
    assert.ok(pack.size < 2_000_000, `packed size ${pack.size} bytes`);
  });

  it('`calspec --help` prints usage and exits 0', function () {
    const r = run('npx', ['--no', '--', 'calspec', '--help'], app, 30_000);
    assert.equal(r.status, 0, show(r));
    assert.match(r.stdout, /^Usage: calspec <command>/m);
    assert.match(r.stdout, /^\s+demo\s/m);
  });

  it('`calspec validate` loads every bundled suite and its fixtures from the installed copy', function () {
    const r = run('npx', ['--no', '--', 'calspec', 'validate'], app, 30_000);
    assert.equal(r.status, 0, show(r));
    assert.match(r.stdout, /^\d+ suites, \d+ scenarios: valid$/m);
  });

  it('`calspec validate` rejects a broken suite with exit 2 and its location', function () {
    const bad = join(work, 'bad.yaml');
    writeFileSync(bad, 'id: broken\nscenarios: [\n');
    const r = run('npx', ['--no', '--', 'calspec', 'validate', bad], app, 30_000);
    assert.equal(r.status, 2, show(r));
    assert.match(r.stderr + r.stdout, /bad\.yaml:\d+:\d+/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });

  it('`calspec demo -o DIR` runs every suite against the reference server and writes the reports', function () {
    const out = join(work, 'reports');
    const r = run('npx', ['--no', '--', 'calspec', 'demo', '-o', out], app, 120_000);
    assert.equal(r.status, 0, show(r));
    // Exit 0 already says nothing failed unexpectedly; the summary line is what a user reads.
    const summary = /^(\d+) scenarios: \d+ passed\b.* in [\d.]+ s$/m.exec(r.stdout);
    assert.ok(summary, `no summary line\n${show(r)}`);
    assert.ok(Number(summary[1]) > 100, `only ${summary[1]} scenarios ran`);
    assert.match(r.stdout, new RegExp(`^reports written to ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:$`, 'm'));
    for (const f of ['results.json', 'junit.xml', 'index.html', 'summary.md'])
      assert.ok(existsSync(join(out, f)), `${f} was not written`);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as unknown;
    assert.equal(typeof results, 'object');
  });
});
