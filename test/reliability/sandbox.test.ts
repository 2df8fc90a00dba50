// The sandbox fence, both halves: at load time a literal write path outside ${cal}/${coll:NAME}
// is refused with file:line:col (exit 2); at run time a path that only resolves outside the
// sandbox (a captured href, a traversal) is refused before anything is sent.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSuiteFile, loadSuites } from '../../src/suite/load.js';
import { runConformance } from '../../src/engine/runner.js';
import { CalspecError } from '../../src/model/exit-codes.js';
import { startReferenceServer, type RunningServer } from '../../src/server/index.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { listing } from './helpers.js';

const USER = { user: 'test', password: 'fence-pw-3', kind: 'basic' as const };
const dir = mkdtempSync(join(tmpdir(), 'calspec-fence-'));

const suite = (steps: string, extra = '') => `id: fence
title: Fence
rfc: 4918
section: "9.1"
scenarios:
  - id: fence-one
    title: One
    level: MUST
    requirement: (test) the fence.
${extra}    steps:
${steps}`;

function load(name: string, text: string) {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  return loadSuites([file], { fixturesDir: 'fixtures' });
}

describe('reliability: sandbox fence', function () {
  this.timeout(30_000);

  describe('at load time (calspec run / validate)', () => {
    for (const [name, steps, at] of [
      [
        'home',
        '      - request: { method: DELETE, path: "${home}default/" }\n',
        ':11:9: DELETE ${home}default/ writes outside',
      ],
      [
        'literal',
        '      - request: { method: PUT, path: /calendars/test/default/x.ics, body: x }\n',
        ':11:9: PUT /calendars/test/default/x.ics writes outside',
      ],
      [
        'traversal',
        '      - request: { method: MKCOL, path: "${cal}../evil/" }\n',
        ':11:9: MKCOL ${cal}../evil/ writes outside',
      ],
      [
        'destination',
        '      - request: { method: COPY, path: "${cal}a.ics", headers: { Destination: "${home}default/a.ics" } }\n',
        ':11:9: COPY ${home}default/a.ics writes outside',
      ],
    ] as const) {
      it(`refuses a write to ${name} with file:line:col, exit 2`, () => {
        assert.throws(
          () => load(name, suite(steps)),
          (e: unknown) =>
            e instanceof CalspecError &&
            e.exitCode === 2 &&
            e.message.includes(at) &&
            /must start with \$\{cal\} or \$\{coll:NAME\}/.test(e.message) &&
            !e.message.includes('\n'),
        );
      });
    }

    it('accepts ${cal}, ${coll:NAME}, captured values, reads anywhere, and accountWrites scenarios', () => {
      load(
        'ok',
        suite(`      - request: { method: PROPFIND, path: "\${home}", headers: { Depth: "0" } }
        capture: { where: { header: Content-Type } }
      - request: { method: PUT, path: "\${cal}a.ics", body: x }
      - request: { method: MKCOL, path: "\${coll:extra}" }
      - request: { method: DELETE, path: "\${where}" }
`),
      );
      load(
        'account',
        suite('      - request: { method: DELETE, path: "${home}default/" }\n', '    accountWrites: true\n'),
      );
    });
  });

  describe('at run time', () => {
    let server: RunningServer;
    let proxy: FaultProxy;
    before(async () => {
      server = await startReferenceServer({
        port: 0,
        users: [{ name: USER.user, password: USER.password }],
        quiet: true,
      });
      proxy = await startFaultProxy({ upstream: server.url });
    });
    after(async () => {
      await proxy?.close();
      await server?.stop();
    });

    it(
      'refuses a captured href or a traversal that resolves outside, ' + 'sends nothing, leaves the home as it was',
      async () => {
        const home = new URL('/calendars/test/', server.url).toString();
        const before = await listing(home, USER);
        // Loaded as a single file (no load-time fence): only the run-time check stands in the way.
        const spec = loadSuiteFile(
          'fence.yaml',
          { fixturesDir: 'fixtures' },
          `id: fence-rt
title: Fence
rfc: 4918
section: "9.1"
scenarios:
  - id: fence-captured
    title: captured
    level: MUST
    requirement: (test) a captured href outside the sandbox is not written to.
    steps:
      - request: { method: PROPFIND, path: "\${home}default/", headers: { Depth: "0" }, ` +
            `body: '<d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/></d:prop></d:propfind>' }
        capture: { victim: { xml: d:multistatus/d:response/d:href } }
      - request: { method: DELETE, path: "\${victim}" }
  - id: fence-traversal
    title: traversal
    level: MUST
    requirement: (test) a traversal out of the sandbox is not written to.
    steps:
      - request: { method: PUT, path: "\${cal}../default/evil.ics", body: x }
`,
        );
        const results = await runConformance({ target: proxy.url, users: [USER], suites: [spec], timeoutMs: 3000 });
        const all = results.suites.flatMap((s) => s.scenarios);
        for (const r of all) {
          assert.equal(r.grade, 'errored', r.key);
          assert.match(
            r.reason!,
            /refused: (DELETE|PUT) \/calendars\/test\/default\/\S* is outside this run's sandbox/,
          );
        }
        assert.ok(
          !proxy.log.some((l) => (l.method === 'DELETE' || l.method === 'PUT') && l.path.includes('/default/')),
          'nothing sent',
        );
        assert.deepEqual(await listing(home, USER), before);
      },
    );
  });
});
