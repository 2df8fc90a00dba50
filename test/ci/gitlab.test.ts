// The GitLab template's `script:` run locally as a GitLab runner would: the template's own variable
// defaults plus the job's, calspec checked out at CALSPEC_HOME (here this repository, as the
// template's before_script would leave it), against the embedded reference server. Proves the
// variables reach calspec, the JUnit lands where artifacts:reports:junit looks, and exit codes gate.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { startReferenceServer } from '../../src/server/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const PASSWORD = 'Gl-pw-h16c-7731-secret';

interface Job {
  variables: Record<string, string>;
  script: string[];
  artifacts: { when: string; paths: string[]; reports: { junit: string } };
}

const template = parse(readFileSync(join(ROOT, 'ci/gitlab/calspec.gitlab-ci.yml'), 'utf8')) as Record<string, Job>;
const job = template['.calspec'];

function runScript(cwd: string, vars: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    execFile(
      'bash',
      ['-c', `set -eu\n${job.script.join('\n')}`],
      {
        cwd,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, CI: 'true', ...job.variables, ...vars },
        timeout: 120_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        done({ code, output: `${stdout}\n${stderr}` });
      },
    );
  });
}

describe('GitLab CI template (ci/gitlab/calspec.gitlab-ci.yml)', function () {
  this.timeout(180_000);
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('keeps the JUnit report and the HTML whatever the outcome', () => {
    assert.equal(job.artifacts.when, 'always');
    assert.equal(job.artifacts.reports.junit, '$CALSPEC_OUTPUT_DIR/junit.xml');
    assert.ok(job.artifacts.paths.includes('$CALSPEC_OUTPUT_DIR/'));
  });

  for (const [faults, expected] of [
    [[], 0],
    [['etag-missing'], 1],
  ] as const) {
    it(`script: exit ${expected} with faults [${faults.join(', ')}], JUnit where the artifact points`, async () => {
      const server = await startReferenceServer({
        port: 0,
        users: [{ name: 'gl', password: PASSWORD }],
        faults: [...faults],
        quiet: true,
      });
      try {
        const dir = mkdtempSync(join(tmpdir(), 'calspec-gitlab-'));
        dirs.push(dir);
        const r = await runScript(dir, {
          CALSPEC_HOME: ROOT,
          CALSPEC_TARGET: server.url,
          CALSPEC_USER: 'gl',
          CALSPEC_PASSWORD: PASSWORD,
          CALSPEC_FILTER: 'rfc4791/5\\.3\\.4',
        });
        assert.equal(r.code, expected, r.output);
        const junit = join(
          dir,
          job.artifacts.reports.junit.replace('$CALSPEC_OUTPUT_DIR', job.variables.CALSPEC_OUTPUT_DIR),
        );
        assert.ok(existsSync(junit), 'junit.xml not where artifacts:reports:junit looks');
        assert.ok(existsSync(join(dir, job.variables.CALSPEC_OUTPUT_DIR, 'index.html')));
        assert.ok(!r.output.includes(PASSWORD));
        assert.ok(!readFileSync(junit, 'utf8').includes(PASSWORD));
      } finally {
        await server.stop();
      }
    });
  }
});
