// A conformance run: discover the target, run every scenario (a few at a time) in its own
// sandbox calendar, apply the baseline, clean up, and assemble the canonical results object.
import type { Dispatcher } from 'undici';
import type { RunResults, ScenarioResult, SuiteResult } from '../model/result.js';
import { emptyCounts } from '../model/result.js';
import type { SuiteSpec } from '../model/suite.js';
import type { BaselineEntry, ServerProfile } from '../model/profile.js';
import { EXIT } from '../model/exit-codes.js';
import type { RunObserver } from '../model/observer.js';
import { Authenticator, type Credentials } from '../dav/auth.js';
import { discover } from '../dav/bootstrap.js';
import { Baseline } from '../profile/baseline-apply.js';
import { DavClient } from '../dav/http.js';
import { Redactor } from '../dav/redact.js';
import { newRunId, Sandbox } from '../dav/sandbox.js';
import { runScenario } from './scenario.js';
import { neededFeatures, resolveCapabilities } from './capabilities.js';
import type { RunEnv } from './run-env.js';
import type { UserContext } from './variables.js';
import { trimResults } from './trim.js';
import { VERSION } from '../version.js';

export interface RunOptions {
  target: string;
  targetName?: string;
  users: Credentials[];
  suites: SuiteSpec[];
  profile?: ServerProfile;
  baseline?: BaselineEntry[];
  jobs?: number;
  keep?: boolean;
  strict?: boolean;
  allowAccountWrites?: boolean;
  timeoutMs?: number;
  maxBodyBytes?: number;
  insecure?: boolean;
  ca?: string;
  dispatcher?: Dispatcher;
  reporter?: RunObserver;
  signal?: AbortSignal;
  /** Keep only scenarios whose key matches. */
  filter?: (key: string) => boolean;
  /** Called with the sandbox as soon as it exists, so a signal handler can list leftovers. */
  onSandbox?: (sandbox: Sandbox) => void;
  runId?: string;
  /** Probe the optional capabilities the selected scenarios need (default true; --no-probe turns it off). */
  probe?: boolean;
  /** Upper bound on the probing time (default 30 s). */
  probeBudgetMs?: number;
}

export async function runConformance(opts: RunOptions): Promise<RunResults> {
  const runId = opts.runId ?? newRunId();
  const started = new Date();
  const redactor = new Redactor();
  opts.users.forEach((u) =>
    redactor.add(
      u.password,
      opts.users.map((x) => x.user),
    ),
  );
  const client = new DavClient({
    redactor,
    ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.maxBodyBytes ? { maxBodyBytes: opts.maxBodyBytes } : {}),
    ...(opts.insecure ? { insecure: true } : {}),
    ...(opts.ca ? { ca: opts.ca } : {}),
  });
  const baseUrl = opts.target.endsWith('/') ? opts.target : `${opts.target}/`;
  try {
    const auths = opts.users.map((u) => new Authenticator(u));
    const hints = opts.profile?.layout ?? {};
    const users: UserContext[] = [];
    const notes: string[] = [];
    let first: Awaited<ReturnType<typeof discover>> | undefined;
    for (const [i, cred] of opts.users.entries()) {
      const found = await discover(client, baseUrl, auths[i]!, cred.user, hints);
      first ??= found;
      notes.push(...found.notes.map((n) => `${cred.user}: ${n}`));
      users.push({
        user: cred.user,
        principal: found.principal,
        home: found.home,
        email: found.email ?? `mailto:${cred.user}@example.com`,
      });
    }
    const features = opts.profile?.features ?? {};
    const sharedCalendar =
      features.mkcalendar === false && opts.profile?.layout.calendar
        ? opts.profile.layout.calendar.replace('{user}', encodeURIComponent(users[0]!.user))
        : undefined;
    const sandbox = new Sandbox(
      client,
      baseUrl,
      users.map((u) => `${u.home}calspec-${runId}`),
      sharedCalendar,
    );
    opts.onSandbox?.(sandbox);
    const work = opts.suites.flatMap((suite) =>
      suite.scenarios
        .filter((s) => !opts.filter || opts.filter(`rfc${suite.rfc}/${suite.section}/${s.id}`))
        .map((scenario) => ({ suite, scenario })),
    );
    opts.reporter?.onRunStart?.({ runId, target: baseUrl, scenarioCount: work.length });
    const capabilities = await resolveCapabilities({
      needed: neededFeatures(work, users.length, Boolean(opts.allowAccountWrites)),
      ...(opts.profile ? { profile: opts.profile } : {}),
      probe: opts.probe !== false,
      ...(opts.probeBudgetMs ? { budgetMs: opts.probeBudgetMs } : {}),
      runId,
      baseUrl,
      client,
      sandbox,
      auth: auths[0]!,
      user: users[0]!,
      davClasses: first!.davClasses,
      ...(sharedCalendar ? { sharedCalendar } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      scrub: (t) => redactor.text(t),
    });
    const env: RunEnv = {
      runId,
      baseUrl,
      anchor: started,
      client,
      sandbox,
      auths,
      users,
      features,
      capabilities: new Map(capabilities.capabilities.map((c) => [c.feature, c])),
      keep: Boolean(opts.keep),
      allowAccountWrites: Boolean(opts.allowAccountWrites),
      ...(opts.profile ? { profileName: opts.profile.name } : {}),
      ...(opts.profile?.auth === 'none'
        ? {
            singleUserReason:
              `${opts.profile.displayName} has no authentication (single user): ` + `multi-user scenarios cannot run`,
          }
        : {}),
      ...(sharedCalendar ? { sharedCalendar } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    };
    const baseline = new Baseline(opts.baseline ?? opts.profile?.baseline ?? []);
    const results = new Array<ScenarioResult | undefined>(work.length);
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < work.length && !opts.signal?.aborted) {
        const index = next++;
        const { suite, scenario } = work[index]!;
        opts.reporter?.onScenarioStart?.(`rfc${suite.rfc}/${suite.section}/${scenario.id}`, scenario.title);
        const result = await runScenario(suite, scenario, index, env);
        baseline.apply(result);
        results[index] = result;
        opts.reporter?.onScenarioEnd?.(result, ++done, work.length);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, opts.jobs ?? 4) }, worker));
    const interrupted = Boolean(opts.signal?.aborted);
    if (opts.keep) sandbox.record.leftover.push(...sandbox.pending());
    else await sandbox.remove(undefined, Date.now() + 30_000);
    const suites: SuiteResult[] = opts.suites.map((suite) => ({
      id: suite.id,
      title: suite.title,
      rfc: suite.rfc,
      section: suite.section,
      file: suite.file,
      scenarios: results.filter((r): r is ScenarioResult => r !== undefined && r.suiteId === suite.id),
    }));
    const summary = emptyCounts();
    for (const s of suites) for (const r of s.scenarios) summary[r.grade]++;
    const unexpected = summary.failed + summary.errored + (opts.strict ? summary['non-strict'] : 0);
    const finished = new Date();
    const target: RunResults['target'] = {
      url: baseUrl,
      user: users[0]!.user,
      principal: users[0]!.principal,
      home: users[0]!.home,
      davClasses: first!.davClasses,
    };
    if (opts.targetName) target.name = opts.targetName;
    if (opts.profile) target.profile = opts.profile.name;
    if (first!.serverHeader) target.serverHeader = first!.serverHeader;
    return trimResults(
      {
        schemaVersion: 1,
        kind: 'conformance',
        tool: { name: 'calspec', version: VERSION },
        runId,
        startedAt: started.toISOString(),
        finishedAt: finished.toISOString(),
        durationMs: finished.getTime() - started.getTime(),
        target,
        strict: Boolean(opts.strict),
        interrupted,
        summary,
        exitCode: interrupted ? EXIT.interrupted : unexpected > 0 ? EXIT.failures : EXIT.ok,
        suites: suites.filter((s) => s.scenarios.length > 0),
        cleanup: sandbox.record,
        capabilities,
        notes,
      },
      redactor,
    );
  } finally {
    await client.close();
  }
}
