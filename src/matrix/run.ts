// The interop matrix: the suites against every target of a targets file, one after the other,
// each run in its own sandbox; a target that cannot be reached still gets a column (all errors).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Credentials } from '../dav/auth.js';
import { runConformance } from '../engine/runner.js';
import { newRunId } from '../dav/sandbox.js';
import { CalspecError, EXIT } from '../model/exit-codes.js';
import type { BaselineEntry, ServerProfile } from '../model/profile.js';
import { emptyCounts, type MatrixResults, type RunResults, type ScenarioResult } from '../model/result.js';
import type { SuiteSpec } from '../model/suite.js';
import { loadBaseline, loadProfile } from '../profile/load.js';
import { VERSION } from '../version.js';
import { expandEnv, resolveIn, type TargetSpec, type TargetsFile } from './targets.js';
import { registerCleanupHeaders } from '../dav/cleanup-headers.js';

export interface MatrixOptions {
  suites: SuiteSpec[];
  jobs?: number;
  /** Extra scenario filter (on top of each target's). */
  filter?: RegExp;
  /** Only these target names. */
  only?: string[];
  /** false: every request on a new connection, for every target (--no-keep-alive). */
  keepAlive?: boolean;
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** After each target's run (e.g. to write its results.json). */
  onRun?: (target: TargetSpec, run: RunResults) => void | Promise<void>;
}

function secretFrom(dir: string, file?: string, envName?: string): string | undefined {
  if (file) {
    try {
      return readFileSync(resolveIn(dir, file), 'utf8').replace(/\r?\n$/, '');
    } catch {
      throw new CalspecError(`cannot read password file ${file}`, EXIT.usage);
    }
  }
  if (envName) {
    const v = process.env[envName];
    if (v === undefined) throw new CalspecError(`environment variable ${envName} (a password) is not set`, EXIT.usage);
    return v;
  }
  return undefined;
}

export function targetCredentials(t: TargetSpec, dir: string, profile?: ServerProfile): Credentials[] {
  const kind = t.auth ?? (profile?.auth === 'bearer' ? 'bearer' : 'auto');
  if (t.noAuth) return [{ user: t.user ?? 'anonymous', password: '', kind: 'none' }];
  const user = t.user ?? (t.userEnv ? process.env[t.userEnv] : undefined);
  if (!user)
    throw new CalspecError(
      `target ${t.name}: no user (${t.userEnv ? `${t.userEnv} is not set` : 'user missing'})`,
      EXIT.usage,
    );
  const out: Credentials[] = [{ user, password: secretFrom(dir, t.passwordFile, t.passwordEnv) ?? '', kind }];
  if (t.user2) out.push({ user: t.user2, password: secretFrom(dir, t.password2File, t.password2Env) ?? '', kind });
  return out;
}

function runShell(command: string, dir: string, env: Record<string, string> | undefined, timeoutMs: number): string {
  return execFileSync('bash', ['-c', command], {
    cwd: dir,
    env: { ...process.env, ...(env ?? {}) },
    encoding: 'utf8',
    timeout: timeoutMs,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/** A column for a target that could not be run: every scenario errored with the reason. */
export function erroredRun(
  t: TargetSpec,
  url: string,
  suites: SuiteSpec[],
  message: string,
  exitCode: number,
  profile?: string,
): RunResults {
  const now = new Date().toISOString();
  const summary = emptyCounts();
  const out: RunResults = {
    schemaVersion: 1,
    kind: 'conformance',
    tool: { name: 'calspec', version: VERSION },
    runId: newRunId(),
    startedAt: now,
    finishedAt: now,
    durationMs: 0,
    target: { url, name: t.name, ...(profile ? { profile } : {}) },
    strict: false,
    interrupted: false,
    summary,
    exitCode,
    suites: suites.map((s) => ({
      id: s.id,
      title: s.title,
      rfc: s.rfc,
      section: s.section,
      file: s.file,
      scenarios: s.scenarios.map((sc): ScenarioResult => {
        summary.errored++;
        return {
          key: `rfc${s.rfc}/${s.section}/${sc.id}`,
          id: sc.id,
          suiteId: s.id,
          title: sc.title,
          rfc: s.rfc,
          section: s.section,
          level: sc.level,
          requirement: sc.requirement,
          covers: sc.covers ?? [],
          requires: sc.requires ?? [],
          grade: 'errored',
          reason: `target not run: ${message}`,
          durationMs: 0,
          steps: [],
          at: `${sc.pos.file}:${sc.pos.line}`,
        };
      }),
    })),
    cleanup: { created: [], removed: [], leftover: [] },
    notes: [message],
  };
  return out;
}

export async function runMatrix(targets: TargetsFile, opts: MatrixOptions): Promise<MatrixResults> {
  const runs: RunResults[] = [];
  const log = opts.log ?? (() => undefined);
  for (const t of targets.targets) {
    if (opts.only?.length && !opts.only.includes(t.name)) continue;
    if (opts.signal?.aborted) break;
    const profile = t.profile ? loadProfile(t.profile) : undefined;
    let url = t.url ? expandEnv(t.url) : '';
    let run: RunResults;
    try {
      if (t.start) {
        log(`${t.name}: starting (${t.start})`);
        const printed = runShell(t.start, targets.dir, t.env, 600_000).trim().split('\n').pop() ?? '';
        if (!url) url = printed.trim();
      }
      if (!/^https?:\/\//.test(url))
        throw new CalspecError(`no usable URL for target ${t.name} (got '${url}')`, EXIT.usage);
      const users = targetCredentials(t, targets.dir, profile);
      const baseline: BaselineEntry[] | undefined = t.baseline
        ? loadBaseline(resolveIn(targets.dir, t.baseline))
        : undefined;
      const filters = [t.filter ? new RegExp(t.filter) : undefined, opts.filter].filter(
        (f): f is RegExp => f !== undefined,
      );
      log(`${t.name}: running ${url}${profile ? ` with profile ${profile.name}` : ''}`);
      registerCleanupHeaders(url, profile);
      run = await runConformance({
        target: url,
        targetName: t.name,
        users,
        suites: opts.suites,
        jobs: t.jobs ?? opts.jobs ?? targets.jobs ?? 4,
        ...(profile ? { profile } : {}),
        ...(baseline ? { baseline } : {}),
        ...(t.insecure ? { insecure: true } : {}),
        ...(t.allowAccountWrites ? { allowAccountWrites: true } : {}),
        ...(filters.length ? { filter: (key: string) => filters.every((f) => f.test(key)) } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(opts.keepAlive === false ? { keepAlive: false } : {}),
      });
    } catch (error) {
      const message = (error as Error).message.split('\n')[0] ?? 'error';
      const code = error instanceof CalspecError ? error.exitCode : EXIT.internal;
      log(`${t.name}: not run: ${message}`);
      run = erroredRun(t, url || '(unknown)', opts.suites, message, code, profile?.name);
    } finally {
      if (t.stop) {
        try {
          runShell(t.stop, targets.dir, t.env, 120_000);
        } catch (error) {
          log(`${t.name}: stop command failed: ${(error as Error).message.split('\n')[0]}`);
        }
      }
    }
    const s = run.summary;
    log(
      `${t.name}: ${s.passed} passed, ${s.failed} failed, ${s['non-strict']} non-strict, ` +
        `${s['expected-fail']} expected-fail, ${s.fixed} fixed, ${s.skipped} skipped, ` +
        `${s.blocked ?? 0} blocked, ${s.errored} errored, ${s.informational} informational (exit ${run.exitCode})`,
    );
    runs.push(run);
    await opts.onRun?.(t, run);
  }
  return {
    schemaVersion: 1,
    kind: 'matrix',
    tool: { name: 'calspec', version: VERSION },
    generatedAt: new Date().toISOString(),
    runs,
  };
}
