// The GitHub Action's script (ci/action/run.sh) run locally as GitHub would run it: inputs in the
// environment, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, against the embedded reference server.
// Proves the job gate: 0 on a clean run, 1 on an unexpected failure caused by an injected fault,
// 0 again once a baseline lists that failure, and that the password never leaks.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { startReferenceServer } from '../../src/server/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SCRIPT = join(ROOT, 'ci/action/run.sh');
const USER = 'ci-user';
const PASSWORD = 'Pw-h16c-zq81-do-not-leak';
const BASIC = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
// One small section keeps each run to a few seconds; etag-missing breaks scenarios in it.
const FILTER = 'rfc4791/5\\.3';

interface Outcome {
  code: number;
  output: string;
  dir: string;
}

// Async on purpose: the reference server runs in this process and must keep answering.
function runAction(dir: string, env: Record<string, string>): Promise<Outcome> {
  return new Promise((done) => {
    execFile(
      'bash',
      [SCRIPT],
      {
        cwd: dir,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? dir,
          GITHUB_ACTIONS: 'true',
          GITHUB_ACTION_PATH: ROOT,
          GITHUB_WORKSPACE: dir,
          RUNNER_TEMP: dir,
          GITHUB_OUTPUT: join(dir, 'github-output'),
          GITHUB_STEP_SUMMARY: join(dir, 'step-summary.md'),
          INPUT_OUTPUT_DIR: 'calspec-report',
          INPUT_FILTER: FILTER,
          CALSPEC_USER: USER,
          CALSPEC_PASSWORD: PASSWORD,
          ...env,
        },
        timeout: 120_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        done({ code, output: `${stdout}\n${stderr}`, dir });
      },
    );
  });
}

function everyFileText(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
    .join('\n');
}

function assertNoSecret(o: Outcome): void {
  for (const [where, text] of [
    ['output', o.output],
    ['files', everyFileText(o.dir)],
  ]) {
    assert.ok(!text.includes(PASSWORD), `password found in ${where}`);
    assert.ok(!text.includes(BASIC), `Basic credentials found in ${where}`);
  }
}

async function withServer(faults: string[], body: (url: string) => Promise<void>): Promise<void> {
  const server = await startReferenceServer({
    port: 0,
    users: [{ name: USER, password: PASSWORD }],
    faults,
    quiet: true,
  });
  try {
    await body(server.url);
  } finally {
    await server.stop();
  }
}

describe('GitHub Action script (ci/action/run.sh)', function () {
  this.timeout(180_000);
  const dirs: string[] = [];
  const workdir = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'calspec-action-'));
    dirs.push(d);
    return d;
  };
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('clean run: exit 0, JUnit + HTML + JSON written, outputs and summary set, no password', async () => {
    await withServer([], async (url) => {
      const o = await runAction(workdir(), { CALSPEC_TARGET: url });
      assert.equal(o.code, 0, o.output);
      for (const f of ['junit.xml', 'index.html', 'results.json']) {
        assert.ok(existsSync(join(o.dir, 'calspec-report', f)), `${f} missing`);
      }
      assert.match(readFileSync(join(o.dir, 'calspec-report/junit.xml'), 'utf8'), /<testsuites/);
      const outputs = readFileSync(join(o.dir, 'github-output'), 'utf8');
      assert.match(outputs, /^exit-code=0$/m);
      assert.match(outputs, /^junit=calspec-report\/junit\.xml$/m);
      assert.match(readFileSync(join(o.dir, 'step-summary.md'), 'utf8'), /calspec: passed/);
      assertNoSecret(o);
    });
  });

  it('a server fault that breaks a requirement: exit 1; listed in a baseline: exit 0', async () => {
    await withServer(['etag-missing'], async (url) => {
      const o = await runAction(workdir(), { CALSPEC_TARGET: url });
      assert.equal(o.code, 1, o.output);
      assert.match(o.output, /regression: unexpected failures/);
      assert.match(readFileSync(join(o.dir, 'github-output'), 'utf8'), /^exit-code=1$/m);
      assertNoSecret(o);

      const results = JSON.parse(readFileSync(join(o.dir, 'calspec-report/results.json'), 'utf8')) as {
        suites: { scenarios: { key: string; grade: string }[] }[];
      };
      const failed = results.suites
        .flatMap((s) => s.scenarios)
        .filter((s) => s.grade === 'failed' || s.grade === 'errored');
      assert.ok(failed.length > 0, 'the fault caused no failure');
      const dir = workdir();
      const lines = failed.map((s) => `  - scenario: ${s.key}\n    reason: "etag-missing fault"`);
      writeFileSync(join(dir, 'baseline.yaml'), `baseline:\n${lines.join('\n')}\n`);
      const gated = await runAction(dir, { CALSPEC_TARGET: url, INPUT_BASELINE: 'baseline.yaml' });
      assert.equal(gated.code, 0, gated.output);
      assert.match(gated.output, /passed \(no failure outside the baseline\)/);
    });
  });

  it('no target: exit 2 with a message, calspec not started', async () => {
    const o = await runAction(workdir(), {});
    assert.equal(o.code, 2);
    assert.match(o.output, /no target URL/);
  });

  it('unreachable target: exit 3, reported as an error rather than a regression', async () => {
    // Port 9 (discard) on loopback: nothing listens there, so the connection is refused at once.
    const o = await runAction(workdir(), { CALSPEC_TARGET: 'http://127.0.0.1:9/' });
    assert.equal(o.code, 3, o.output);
    assert.match(o.output, /error: target unreachable/);
    assertNoSecret(o);
  });
});

describe('action.yml', () => {
  it('is a composite action with the documented inputs and the script as its run step', () => {
    const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
      name?: string;
      inputs?: Record<string, { required?: boolean }>;
      outputs?: Record<string, unknown>;
      runs?: { using?: string; steps?: { run?: string; env?: Record<string, string> }[] };
    };
    assert.equal(typeof action.name, 'string');
    for (const input of [
      'target',
      'user',
      'password',
      'profile',
      'baseline',
      'suites',
      'filter',
      'output-dir',
      'args',
    ]) {
      assert.ok(action.inputs?.[input], `input ${input} missing`);
    }
    assert.equal(action.inputs?.target?.required, true);
    assert.ok(action.outputs?.['exit-code']);
    assert.equal(action.runs?.using, 'composite');
    const steps = action.runs?.steps ?? [];
    assert.ok(steps.length >= 2);
    const run = steps.find((s) => s.run?.includes('ci/action/run.sh'));
    assert.ok(run, 'no step runs ci/action/run.sh');
    // The password reaches calspec only through the environment, never a command line.
    assert.equal(run.env?.CALSPEC_PASSWORD, '${{ inputs.password }}');
    assert.ok(!steps.some((s) => s.run?.includes('inputs.password')));
  });

  it('the GitLab template and both examples parse', () => {
    for (const f of [
      'ci/gitlab/calspec.gitlab-ci.yml',
      'ci/examples/gitlab-ci.yml',
      'ci/examples/github-workflow.yml',
    ]) {
      assert.equal(typeof parse(readFileSync(join(ROOT, f), 'utf8')), 'object', f);
    }
  });
});
