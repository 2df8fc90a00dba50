// `calspec run`: a conformance run against a target, with reports and a CI-gating exit code.
import { join, resolve } from 'node:path';
import { CalspecError, EXIT } from '../model/exit-codes.js';
import type { RunResults } from '../model/result.js';
import type { SuiteSpec } from '../model/suite.js';
import { coverage, loadCatalogue } from '../suite/catalogue.js';
import { loadSuites } from '../suite/load.js';
import { readSelection, SELECT_OPTIONS, selectSuites } from '../suite/select.js';
import { loadBaseline, loadProfile } from '../profile/load.js';
import { untriagedWarning } from '../profile/triage.js';
import { runConformance, type RunOptions } from '../engine/runner.js';
import { newRunId, type Sandbox } from '../dav/sandbox.js';
import { createReporters } from '../report/registry.js';
import { ReporterMultiplexer } from '../report/multiplex.js';
import { FIXTURES_DIR, SUITES_DIR } from '../paths.js';
import { flag, int, list, parse, str, targetUrl } from './args.js';
import { pendingText, trapInterrupts } from './interrupts.js';
import { CREDENTIAL_OPTIONS, readCredentials, readTls, TLS_OPTIONS } from './credentials.js';
import { registerCleanupHeaders } from '../dav/cleanup-headers.js';
import { applyConfig } from './config.js';

export const RUN_OPTIONS = {
  ...CREDENTIAL_OPTIONS,
  target: { type: 'string', short: 't' },
  name: { type: 'string' },
  profile: { type: 'string', short: 'p' },
  baseline: { type: 'string', short: 'b' },
  'no-baseline': { type: 'boolean' },
  strict: { type: 'boolean' },
  keep: { type: 'boolean' },
  'allow-account-writes': { type: 'boolean' },
  'no-probe': { type: 'boolean' },
  calendar: { type: 'string' },
  jobs: { type: 'string', short: 'j' },
  timeout: { type: 'string' },
  'max-body': { type: 'string' },
  'no-keep-alive': { type: 'boolean' },
  ...TLS_OPTIONS,
  out: { type: 'string', short: 'o' },
  reporter: { type: 'string', short: 'r', multiple: true },
  ...SELECT_OPTIONS,
  quiet: { type: 'boolean', short: 'q' },
  config: { type: 'string' },
} as const;

export const DEFAULT_REPORTERS = ['console', 'json', 'junit', 'html', 'markdown'];

export async function runCommand(argv: string[]): Promise<number> {
  // Command-line options win over the config file (--config FILE, else ./calspec.config.yaml).
  const p = applyConfig(parse('run', argv, RUN_OPTIONS), RUN_OPTIONS);
  const target = str(p, 'target') ?? process.env.CALSPEC_TARGET;
  if (!target) throw new CalspecError('calspec run: --target URL is required (or CALSPEC_TARGET)', EXIT.usage);
  targetUrl(target);
  const profile = str(p, 'profile') ? loadProfile(str(p, 'profile')!) : undefined;
  const users = readCredentials(p, profile?.auth === 'bearer' ? 'bearer' : 'auto');
  const suites = loadSuites(p.positionals.length ? p.positionals : [SUITES_DIR], { fixturesDir: FIXTURES_DIR });
  const baselineFile = str(p, 'baseline');
  const baseline = flag(p, 'no-baseline') ? [] : baselineFile ? loadBaseline(baselineFile) : undefined;
  const triageWarning = untriagedWarning(
    baseline ?? profile?.baseline ?? [],
    baselineFile ?? (profile ? `profile ${profile.name}` : 'the baseline'),
  );
  if (triageWarning) process.stderr.write(`${triageWarning}\n`);
  const filter = str(p, 'filter');
  let filterRe: RegExp | undefined;
  try {
    if (filter) filterRe = new RegExp(filter);
  } catch {
    throw new CalspecError(`--filter: invalid regular expression '${filter}'`, EXIT.usage);
  }
  const tls = readTls(p);
  const runId = newRunId();
  const outDir = resolve(str(p, 'out') ?? join('reports', runId));
  const reporter = new ReporterMultiplexer(
    createReporters(list(p, 'reporter').length ? list(p, 'reporter') : DEFAULT_REPORTERS, { quiet: flag(p, 'quiet') }),
  );
  const options: RunOptions = {
    target,
    users,
    suites: selectSuites(suites, readSelection(p.values)),
    runId,
    reporter,
    jobs: int(p, 'jobs', 1, 64) ?? 4,
    keep: flag(p, 'keep'),
    allowAccountWrites: flag(p, 'allow-account-writes'),
    probe: !flag(p, 'no-probe'),
    ...(str(p, 'calendar') ? { calendar: str(p, 'calendar')! } : {}),
    ...(flag(p, 'no-keep-alive') ? { keepAlive: false } : {}),
    strict: flag(p, 'strict'),
    ...(str(p, 'name') ? { targetName: str(p, 'name')! } : {}),
    ...(profile ? { profile } : {}),
    ...(baseline ? { baseline } : {}),
    ...(filterRe ? { filter: (key: string) => filterRe!.test(key) } : {}),
    ...tls,
    ...(int(p, 'timeout', 100, 600_000) ? { timeoutMs: int(p, 'timeout', 100, 600_000)! } : {}),
    ...(int(p, 'max-body', 1024, 2 ** 31) ? { maxBodyBytes: int(p, 'max-body', 1024, 2 ** 31)! } : {}),
  };
  const results = attachCoverage(await withInterrupts(options), suites);
  const files = await reporter.onRunEnd(results, outDir);
  if (files.length) process.stdout.write(`reports: ${files.map((f) => resolveRelative(f)).join(', ')}\n`);
  return results.exitCode;
}

/** Coverage of the catalogue by the suites that ran, for the JSON and HTML reports. */
export function attachCoverage(results: RunResults, suites: SuiteSpec[]): RunResults {
  const requirements = loadCatalogue(join(SUITES_DIR, 'catalogue'));
  if (requirements.length) results.coverage = coverage(requirements, suites);
  return results;
}

function resolveRelative(file: string): string {
  const cwd = process.cwd();
  return file.startsWith(`${cwd}/`) ? file.slice(cwd.length + 1) : file;
}

/**
 * First Ctrl-C / SIGTERM: stop sending new requests, clean up, write partial results.
 * Second: exit at once and say what may be left on the server.
 */
export async function withInterrupts(options: RunOptions): Promise<RunResults> {
  let sandbox: Sandbox | undefined;
  const interrupts = trapInterrupts('cleaning up what this run created', () =>
    pendingText(sandbox?.pending() ?? [], options.target),
  );
  registerCleanupHeaders(options.target, options.profile);
  try {
    return await runConformance({ ...options, signal: interrupts.signal, onSandbox: (s) => (sandbox = s) });
  } finally {
    interrupts.dispose();
  }
}
