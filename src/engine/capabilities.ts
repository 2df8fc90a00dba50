// Before scenarios run: decide, for each optional capability the selected scenarios depend on,
// whether the target has it. A profile's pin wins; otherwise discover's probes decide, inside the
// run's sandbox and within a time budget; what no probe decides keeps the old rule (present).
import type { Authenticator } from '../dav/auth.js';
import type { DavClient } from '../dav/http.js';
import type { Sandbox } from '../dav/sandbox.js';
import { FEATURES, type Feature, type ServerProfile } from '../model/profile.js';
import type { Capability, CapabilityReport } from '../model/result.js';
import type { ScenarioSpec, SuiteSpec } from '../model/suite.js';
import { PROBED_FEATURES, probeFeatures, type FeatureProbeRun, type ProbeContext } from '../discover/index.js';
import { decide } from './capability-state.js';
import type { UserContext } from './variables.js';

/** Probing stops after this long; what is left undecided counts as present, as without probing. */
export const DEFAULT_PROBE_BUDGET_MS = 30_000;

export interface CapabilityOptions {
  /** Features the selected scenarios require. */
  needed: readonly Feature[];
  profile?: ServerProfile;
  /** False with --no-probe. */
  probe: boolean;
  budgetMs?: number;
  runId: string;
  baseUrl: string;
  client: DavClient;
  sandbox: Sandbox;
  auth: Authenticator;
  user: UserContext;
  davClasses: string[];
  /** When MKCALENDAR is unavailable (per the profile): the calendar the probes write into, run-prefixed. */
  sharedCalendar?: string;
  signal?: AbortSignal;
  /** Scrubs secrets from recorded text. */
  scrub?: (text: string) => string;
}

/** Features of the scenarios that can run at all here (second user, account writes). */
export function neededFeatures(
  work: { suite: SuiteSpec; scenario: ScenarioSpec }[],
  userCount: number,
  allowAccountWrites: boolean,
): Feature[] {
  const needed = new Set<string>();
  for (const { suite, scenario } of work) {
    if (scenario.users > userCount || (scenario.accountWrites && !allowAccountWrites)) continue;
    for (const f of [...suite.requires, ...scenario.requires]) needed.add(f);
  }
  return FEATURES.filter((f) => needed.has(f));
}

/** Whether resolveCapabilities will probe anything (a feature the profile leaves open and a probe decides). */
export function willProbe(needed: readonly Feature[], profile?: ServerProfile): boolean {
  return needed.some((f) => profile?.features?.[f] === undefined && PROBED_FEATURES.includes(f));
}

const assumed = (feature: Feature, why: string): Capability => ({
  feature,
  state: 'present',
  source: 'default',
  evidence: `not probed: ${why}; assumed present`,
});

export async function resolveCapabilities(o: CapabilityOptions): Promise<CapabilityReport> {
  const started = performance.now();
  const pinned = o.profile?.features ?? {};
  const toProbe = o.probe ? o.needed.filter((f) => pinned[f] === undefined && PROBED_FEATURES.includes(f)) : [];
  const budgetMs = o.budgetMs ?? DEFAULT_PROBE_BUDGET_MS;
  const budget = AbortSignal.timeout(budgetMs);
  const ctx: ProbeContext = {
    client: o.client,
    auth: o.auth,
    baseUrl: o.baseUrl,
    user: o.user.user,
    runId: o.runId,
    principal: o.user.principal,
    home: o.user.home,
    sandbox: o.sandbox,
    davClasses: o.davClasses,
    objectPrefix: '',
    ownCalendar: false,
    exchanges: [],
    signal: o.signal ? AbortSignal.any([o.signal, budget]) : budget,
  };
  let run: FeatureProbeRun | undefined;
  if (toProbe.length) {
    try {
      run = await probeFeatures(ctx, toProbe, {
        stem: `calspec-${o.runId}-probe`,
        // Even in a shared calendar: MKCALENDAR seen failing still leaves extended MKCOL to probe.
        create: o.profile?.features?.mkcalendar !== false,
        ...(o.sharedCalendar ? { existing: o.sharedCalendar } : {}),
      });
    } finally {
      // The probes' scratch calendars and objects go now, not at the end of the run.
      await o.sandbox.remove('discover', Date.now() + 30_000);
    }
  }
  const stopped = o.signal?.aborted
    ? 'the run was interrupted'
    : `the probe time budget (${budgetMs / 1000} s) ran out`;
  const capabilities = o.needed.map((feature): Capability => {
    const pin = pinned[feature];
    if (pin !== undefined)
      return {
        feature,
        state: pin ? 'present' : 'absent',
        source: 'profile',
        evidence: `profile ${o.profile!.name} sets ${feature}: ${pin}`,
      };
    if (!o.probe) return assumed(feature, '--no-probe');
    if (!PROBED_FEATURES.includes(feature)) return assumed(feature, 'no probe decides this feature');
    const decided = run && decide(feature, run);
    if (decided) return decided;
    return assumed(feature, run?.undecided[feature] ?? (run?.interrupted ? stopped : 'the probe gave no verdict'));
  });
  const scrub = o.scrub ?? ((t: string) => t);
  for (const c of capabilities) {
    c.evidence = scrub(c.evidence);
    for (const r of c.requests ?? []) r.url = scrub(r.url);
  }
  return {
    probed: o.probe,
    probeMs: Math.round(performance.now() - started),
    requestCount: ctx.exchanges.length,
    capabilities,
  };
}
