// `calspec demo` (what `npm start` runs): the reference server, every bundled suite, reports.
import { join, resolve } from 'node:path';
import { startReferenceServer } from '../server/index.js';
import { loadSuites } from '../suite/load.js';
import { createReporters } from '../report/registry.js';
import { ReporterMultiplexer } from '../report/multiplex.js';
import { newRunId } from '../dav/sandbox.js';
import { FIXTURES_DIR, SUITES_DIR } from '../paths.js';
import { flag, list, parse, str } from './args.js';
import { attachCoverage, DEFAULT_REPORTERS, withInterrupts } from './run.js';
import { loadProfile } from '../profile/load.js';

export async function demoCommand(argv: string[]): Promise<number> {
  const p = parse('demo', argv, {
    out: { type: 'string', short: 'o' },
    fault: { type: 'string', multiple: true },
    reporter: { type: 'string', short: 'r', multiple: true },
    quiet: { type: 'boolean', short: 'q' },
    filter: { type: 'string', short: 'f' },
  });
  const suites = loadSuites(p.positionals.length ? p.positionals : [SUITES_DIR], { fixturesDir: FIXTURES_DIR });
  // Random per-run passwords: nothing guessable listens on the port, even for a minute.
  const password = () => Math.random().toString(36).slice(2, 12);
  const users = [
    { name: 'test', password: password() },
    { name: 'user1', password: password() },
  ];
  const server = await startReferenceServer({ port: 0, users, faults: list(p, 'fault'), quiet: true });
  process.stdout.write(
    `reference server at ${server.url}${server.faults.length ? ` with faults: ${server.faults.join(', ')}` : ''}\n`,
  );
  try {
    const runId = newRunId();
    const outDir = resolve(str(p, 'out') ?? join('reports', runId));
    const reporter = new ReporterMultiplexer(
      createReporters(list(p, 'reporter').length ? list(p, 'reporter') : DEFAULT_REPORTERS, {
        quiet: flag(p, 'quiet'),
      }),
    );
    const filter = str(p, 'filter');
    const results = attachCoverage(
      await withInterrupts({
        target: server.url,
        targetName: 'calspec-reference',
        runId,
        reporter,
        suites,
        jobs: 4,
        users: users.map((u) => ({ user: u.name, password: u.password, kind: 'basic' as const })),
        profile: loadProfile('reference'),
        // The server is in-memory and stopped afterwards: account-level writes (scheduling) are harmless.
        allowAccountWrites: true,
        ...(filter ? { filter: (key: string) => new RegExp(filter).test(key) } : {}),
      }),
      suites,
    );
    const files = await reporter.onRunEnd(results, outDir);
    process.stdout.write(`reports written to ${outDir}:\n${files.map((f) => `  ${f}`).join('\n')}\n`);
    return results.exitCode;
  } finally {
    await server.stop();
  }
}
