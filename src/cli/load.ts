// `calspec load`: seed a sandbox, run a workload's weighted operation mix under a closed or open
// model, report per-label latency and errors, gate on thresholds (exit 1 when crossed).
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import type { Credentials } from '../dav/auth.js';
import { newRunId } from '../dav/sandbox.js';
import { CalspecError, EXIT } from '../model/exit-codes.js';
import type { LoadResults } from '../model/load.js';
import { FIXTURES_DIR } from '../paths.js';
import { formatLoadResults } from '../load/console.js';
import { assertLoopback } from '../load/guard.js';
import { runLoad } from '../load/run.js';
import { parseThreshold } from '../load/thresholds.js';
import { loadWorkload, parseDuration } from '../load/workload.js';
import { flag, int, list, parse, str, type Parsed, targetUrl } from './args.js';
import { trapInterrupts } from './interrupts.js';
import { writeLoadResults } from '../report/write.js';
import { CREDENTIAL_OPTIONS, readCredentials, readTls, TLS_OPTIONS } from './credentials.js';

export const LOAD_HELP = `Usage: calspec load WORKLOAD --target URL --user NAME [options]

WORKLOAD is a workload file, or a bundled profile name: iphone, thunderbird, davx5,
outlook-caldavsynchronizer, agendav, mix (fixtures/workloads/). Seeds calendars named
'calspec-<run-id>-...' (removed afterwards, also on Ctrl-C), then runs the weighted mix.

  -t, --target URL          server URL (must be loopback unless --allow-remote)
  -u, --user NAME, --password-file F, --user2 ..., --auth KIND   as for 'calspec run'
      --users-file F        more accounts, one 'user:password' per line (virtual users map onto them)
  -c, --connections N       concurrent connections (default: workload, else 16)
      --rate R              open model: R requests/s in total, latency from the intended send time
                            (without --rate: closed model, N connections as fast as possible)
  -d, --duration T          measured time, e.g. 30s, 2m (default: workload, else 60s; max 24h)
      --warmup T            excluded from results (default: workload, else 2s)
      --max-requests N      hard cap on requests sent, warm-up included (default 10000000)
  -w, --workers N           worker threads sharing the connections (default: number of cores)
      --shard I/N           run slice I (0-based) of N: connections, rate and cap divided by N
      --run-id ID           run id (default: generated); shards of one run may share it
      --validate-fraction F share of responses checked with calspec's checks (default 0.01)
      --timeout MS          per-request timeout (default 30000)
      --threshold EXPR      repeatable: 'p99<200ms', 'errors<0.1%', 'calendar-query:p95<50ms', 'rps>100'
      --allow-remote        allow a non-loopback target (only for servers you own)
  -k, --insecure            do not verify TLS certificates (verification is on by default)
      --ca FILE             trust the CA certificates in FILE (PEM)
  -o, --out DIR             report folder (default reports/<run-id>)
  -q, --quiet               no progress on stderr

Writes DIR/load-results.json (and index.html). Exit: 0 ok; 1 a threshold crossed; 2 usage or
invalid workload (file:line:col); 3 target unreachable or auth failure; 4 interrupted.`;

export const LOAD_OPTIONS = {
  ...CREDENTIAL_OPTIONS,
  target: { type: 'string', short: 't' },
  name: { type: 'string' },
  'users-file': { type: 'string' },
  connections: { type: 'string', short: 'c' },
  rate: { type: 'string' },
  duration: { type: 'string', short: 'd' },
  warmup: { type: 'string' },
  'max-requests': { type: 'string' },
  workers: { type: 'string', short: 'w' },
  shard: { type: 'string' },
  'run-id': { type: 'string' },
  'validate-fraction': { type: 'string' },
  timeout: { type: 'string' },
  threshold: { type: 'string', multiple: true },
  'allow-remote': { type: 'boolean' },
  ...TLS_OPTIONS,
  out: { type: 'string', short: 'o' },
  quiet: { type: 'boolean', short: 'q' },
} as const;

const MAX_DURATION_MS = 24 * 3600_000;

function duration(p: Parsed, name: string, fallback: number): number {
  const v = str(p, name);
  if (v === undefined) return fallback;
  const ms = parseDuration(/^\d+(\.\d+)?$/.test(v) ? Number(v) : v);
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_DURATION_MS)
    throw new CalspecError(`--${name} '${v}': expected e.g. 500ms, 30s, 2m (at most 24h)`, EXIT.usage);
  return ms;
}

function number(p: Parsed, name: string, min: number, max: number): number | undefined {
  const v = str(p, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new CalspecError(`--${name} must be a number from ${min} to ${max}, got '${v}'`, EXIT.usage);
  return n;
}

function shard(p: Parsed): { index: number; count: number } | undefined {
  const v = str(p, 'shard');
  if (v === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(v);
  if (!m || Number(m[2]) < 1 || Number(m[1]) >= Number(m[2]))
    throw new CalspecError(`--shard '${v}': expected I/N with 0 <= I < N, e.g. 0/4`, EXIT.usage);
  return { index: Number(m[1]), count: Number(m[2]) };
}

function accounts(p: Parsed): Credentials[] {
  const base = readCredentials(p);
  const file = str(p, 'users-file');
  if (!file) return base;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new CalspecError(`--users-file: cannot read ${file}`, EXIT.usage);
  }
  const kind = base[0]!.kind;
  const more = text
    .split(/\r?\n/)
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((line, i) => {
      const at = line.indexOf(':');
      if (at <= 0) throw new CalspecError(`${file}:${i + 1}:1: expected 'user:password'`, EXIT.usage);
      return { user: line.slice(0, at), password: line.slice(at + 1), kind };
    });
  return [...base, ...more];
}

export function resolveWorkload(name: string): string {
  if (existsSync(name)) return name;
  const bundled = join(FIXTURES_DIR, 'workloads', `${name}.yaml`);
  if (/^[a-z0-9-]+$/.test(name) && existsSync(bundled)) return bundled;
  throw new CalspecError(`workload '${name}': no such file or bundled profile`, EXIT.usage);
}

export async function loadCommand(argv: string[]): Promise<number> {
  const p = parse('load', argv, LOAD_OPTIONS);
  if (p.positionals.length !== 1)
    throw new CalspecError('calspec load: exactly one WORKLOAD is required (see calspec load --help)', EXIT.usage);
  const workload = loadWorkload(resolveWorkload(p.positionals[0]!));
  const target = str(p, 'target') ?? process.env.CALSPEC_TARGET;
  if (!target) throw new CalspecError('calspec load: --target URL is required (or CALSPEC_TARGET)', EXIT.usage);
  targetUrl(target);
  const thresholds = list(p, 'threshold').map(parseThreshold);
  const rate = number(p, 'rate', 0.001, 10_000_000) ?? workload.defaults.rate;
  const quiet = flag(p, 'quiet');
  await assertLoopback(target, flag(p, 'allow-remote'));
  const runId = str(p, 'run-id') ?? newRunId();
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(runId))
    throw new CalspecError(`--run-id: letters, digits, . _ - only`, EXIT.usage);
  const interrupts = trapInterrupts(
    'cleaning up and writing partial results',
    () => `Calendars named calspec-${runId}-* may be left; remove them with: calspec cleanup ${target}`,
  );
  let results: LoadResults;
  try {
    results = await runLoad({
      target,
      ...(str(p, 'name') ? { targetName: str(p, 'name')! } : {}),
      accounts: accounts(p),
      workload,
      model: rate === undefined ? 'closed' : 'open',
      connections: int(p, 'connections', 1, 10_000) ?? workload.defaults.connections ?? 16,
      ...(rate !== undefined ? { rate } : {}),
      durationMs: duration(p, 'duration', Math.min(workload.defaults.durationMs ?? 60_000, MAX_DURATION_MS)),
      warmupMs: duration(p, 'warmup', workload.defaults.warmupMs ?? 2_000),
      maxRequests: int(p, 'max-requests', 1, 1_000_000_000) ?? 10_000_000,
      workers: int(p, 'workers', 1, 256) ?? availableParallelism(),
      ...(shard(p) ? { shard: shard(p)! } : {}),
      validateFraction: number(p, 'validate-fraction', 0, 1) ?? 0.01,
      timeoutMs: int(p, 'timeout', 100, 600_000) ?? 30_000,
      tls: readTls(p),
      thresholds,
      signal: interrupts.signal,
      runId,
      ...(quiet ? {} : { progress: (line: string) => process.stderr.write(`${line}\n`) }),
    });
  } finally {
    interrupts.dispose();
  }
  const outDir = resolve(str(p, 'out') ?? join('reports', runId));
  const files = await writeLoadResults(results, outDir);
  process.stdout.write(formatLoadResults(results));
  process.stdout.write(`reports: ${files.join(', ')}\n`);
  return results.exitCode;
}
