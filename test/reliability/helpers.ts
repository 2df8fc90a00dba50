// Shared by the reliability tests: the probe suite, a home listing (what is on the server), and a
// conformance run with short timeouts.
import assert from 'node:assert/strict';
import { DavClient } from '../../src/dav/http.js';
import { Authenticator, type Credentials } from '../../src/dav/auth.js';
import { parseMultistatus } from '../../src/xml/multistatus.js';
import { loadSuites } from '../../src/suite/load.js';
import { runConformance, type RunOptions } from '../../src/engine/runner.js';
import type { RunResults, ScenarioResult } from '../../src/model/result.js';

export const PROBE_SUITES = loadSuites(['test/reliability/suites'], { fixturesDir: 'fixtures' });

/** Hrefs directly under a collection (PROPFIND Depth 1), sorted; straight to the server, not through a proxy. */
export async function listing(url: string, cred: Credentials): Promise<string[]> {
  const client = new DavClient({ timeoutMs: 10_000 });
  try {
    const ex = await client.send({
      method: 'PROPFIND',
      url,
      headers: { depth: '1' },
      auth: new Authenticator(cred),
      body: '<d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/></d:prop></d:propfind>',
    });
    assert.equal(ex.response?.status, 207, `PROPFIND ${url}: ${ex.error ?? ex.response?.status}`);
    return parseMultistatus(ex.response!.body)
      .responses.map((r) => r.href)
      .sort();
  } finally {
    await client.close();
  }
}

export async function probeRun(
  target: string,
  users: Credentials[],
  extra: Partial<RunOptions> = {},
): Promise<{ results: RunResults; all: ScenarioResult[]; byId: (id: string) => ScenarioResult }> {
  const results = await runConformance({ target, users, suites: PROBE_SUITES, jobs: 2, timeoutMs: 1500, ...extra });
  const all = results.suites.flatMap((s) => s.scenarios);
  return { results, all, byId: (id) => all.find((r) => r.id === id)! };
}

/** One line that names the request: METHOD /path. */
export function assertNamesRequest(reason: string | undefined, method: string, path: RegExp | string): void {
  assert.ok(reason, 'a reason is given');
  assert.equal(reason.split('\n').length, 1, `one line: ${reason}`);
  const p = typeof path === 'string' ? path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : path.source;
  assert.match(reason, new RegExp(`${method} ${p}`), `names ${method} ${path}: ${reason}`);
}

/** Run a CLI command in-process, capturing stdout and stderr. */
export async function captured(fn: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const [o, e] = [process.stdout.write, process.stderr.write];
  process.stdout.write = ((chunk: string | Uint8Array) => (
    (out += String(chunk)),
    true
  )) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => (
    (err += String(chunk)),
    true
  )) as typeof process.stderr.write;
  try {
    return { code: await fn(), out, err };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}
