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
import { DiscoveryFailed } from '../dav/discovery-findings.js';
import { discoveryFailedResults } from './discovery-results.js';
import { connectionPolicy } from '../dav/connection-check.js';
import { Baseline } from '../profile/baseline-apply.js';
import { DavClient } from '../dav/http.js';
import { Redactor } from '../dav/redact.js';
import { newRunId, Sandbox } from '../dav/sandbox.js';
import { runScenario } from './scenario.js';
import { neededFeatures, resolveCapabilities, willProbe } from './capabilities.js';
import type { RunEnv } from './run-env.js';
import type { UserContext } from './variables.js';
import { trimResults } from './trim.js';
import { decideSharedMode } from './shared-mode.js';
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
  /** Shared-calendar mode in this existing calendar (--calendar URL): scenarios needing their own skip. */
  calendar?: string;
  /** false: every request on a new connection (--no-keep-alive); no connection check then. */
  keepAlive?: boolean;
  /** Measure reused vs fresh connections first (default: unless a dispatcher is injected). */
  connectionCheck?: boolean;
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
    // First, before any other request: the check needs a client with no idle connection.
    const connection = await connectionPolicy(client, baseUrl, auths[0], {
      ...(opts.keepAlive === false ? { keepAlive: false } : {}),
      check: opts.connectionCheck ?? !opts.dispatcher,
    });
    const hints = opts.profile?.layout ?? {};
    const users: UserContext[] = [];
    const notes: string[] = [];
    let first: Awaited<ReturnType<typeof discover>> | undefined;
    for (const [i, cred] of opts.users.entries()) {
      let found: Awaited<ReturnType<typeof discover>>;
      try {
        const others = opts.users.map((u) => u.user).filter((u) => u !== cred.user);
        found = await discover(client, baseUrl, auths[i]!, cred.user, hints, others);
      } catch (error) {
        // A WebDAV server whose discovery answers break a requirement: reported, not exit 3.
        if (!(error instanceof DiscoveryFailed)) throw error;
        const extra = connection ? { extra: { connection } } : {};
        const user = opts.users[0]!.user;
        return discoveryFailedResults({
          ...opts,
          failure: error,
          runId,
          started,
          baseUrl,
          user,
          notes,
          redactor,
          ...extra,
        });
      }
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
    const roots = users.map((u) => `${u.home}calspec-${runId}`);
    const work = opts.suites.flatMap((suite) =>
      suite.scenarios
        .filter((s) => !opts.filter || opts.filter(`rfc${suite.rfc}/${suite.section}/${s.id}`))
        .map((scenario) => ({ suite, scenario })),
    );
    const needed = neededFeatures(work, users.length, Boolean(opts.allowAccountWrites));
    // Before the sandbox exists: its fence depends on whether scenarios share one calendar.
    const mode = await decideSharedMode({
      client,
      baseUrl,
      auth: auths[0]!,
      user: users[0]!.user,
      principal: users[0]!.principal,
      home: users[0]!.home,
      runId,
      sandbox: new Sandbox(client, baseUrl, roots),
      davClasses: first!.davClasses,
      // MKCALENDAR is tried only when capabilities are probed at all (the probes would create one anyway).
      probe: opts.probe !== false && willProbe(needed, opts.profile),
      ...(opts.profile ? { profile: opts.profile } : {}),
      ...(opts.calendar ? { calendar: opts.calendar } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    if (mode.note) notes.push(mode.note);
    const sharedCalendar = mode.shared?.calendar;
    const sandbox = new Sandbox(client, baseUrl, roots, sharedCalendar);
    sandbox.accounts = users.map((u, i) => ({ home: u.home, principal: u.principal, auth: auths[i]! }));
    // Only scenarios allowed to write outside the sandbox schedule (deliver to another user's account).
    sandbox.sweepScheduling = Boolean(opts.allowAccountWrites);
    opts.onSandbox?.(sandbox);
    opts.reporter?.onRunStart?.({
      runId,
      target: baseUrl,
      scenarioCount: work.length,
      ...(connection ? { connection } : {}),
    });
    const capabilities = await resolveCapabilities({
      needed,
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
    // The MKCALENDAR probe above already decided what the capability probes would only assume.
    const mk = capabilities.capabilities.findIndex((c) => c.feature === 'mkcalendar' && c.source !== 'profile');
    if (mode.mkcalendar && mk >= 0) capabilities.capabilities[mk] = mode.mkcalendar;
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
      ...(mode.shared ? { shared: mode.shared } : {}),
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
        ...(connection ? { connection } : {}),
      },
      redactor,
    );
  } finally {
    await client.close();
  }
}
