// From discover's graded probes to what a run does with a capability: present (its scenarios run),
// absent (they are skipped, with the probe's evidence) or broken (they run, so the scenario that
// tests what the target claims fails). A false failure is worse than a missed one, but a claim the
// target makes and does not keep is a real failure, so an advertised feature is never "absent".
import type { Exchange } from '../model/exchange.js';
import type { Feature } from '../model/profile.js';
import type { Capability, CapabilityState, ProbeRequest } from '../model/result.js';
import { PROBE_FOR, type FeatureProbeRun, type FeatureGrade, type ProbeStep } from '../discover/index.js';

/** Report features, named as DAV:supported-report-set lists them (RFC 3253 §3.1.5). */
const REPORTS: Partial<Record<Feature, string>> = {
  'calendar-query': 'calendar-query',
  'calendar-multiget': 'calendar-multiget',
  'free-busy-query': 'free-busy-query',
  'sync-collection': 'sync-collection',
};

/**
 * What advertising calendar-access promises (RFC 4791 §2): WebDAV ACL (RFC 3744, whose §5.4 makes
 * current-user-privilege-set part of it) and every report of §7, whose §9.6.5 expand is part of.
 * A CalDAV server without them violates a MUST; they are never optional for it.
 */
const CALENDAR_ACCESS_PROMISES: Partial<Record<Feature, string>> = {
  acl: 'RFC 4791 §2',
  'current-user-privilege-set': 'RFC 4791 §2',
  'calendar-query': 'RFC 4791 §7',
  'calendar-multiget': 'RFC 4791 §7',
  'free-busy-query': 'RFC 4791 §7',
  expand: 'RFC 4791 §9.6.5',
};

function reportSet(run: FeatureProbeRun): string[] {
  const set = run.steps.flatMap((s) => s.results).find((r) => r.id === 'supported-report-set');
  if (!set || set.grade === 'unsupported') return [];
  return set.observed.split(',').map((x) => x.trim());
}

/** What the target advertises about a feature it then refuses, if anything. */
export function claimOf(feature: Feature, run: FeatureProbeRun): string | undefined {
  // RFC 4918 §18.2: class 2 in the DAV header promises LOCK.
  if (feature === 'lock' && run.davClasses.includes('2')) return 'DAV class 2 is advertised';
  // RFC 5689 §3.1: the extended-mkcol DAV token promises extended MKCOL.
  if (feature === 'extended-mkcol' && run.davClasses.includes('extended-mkcol'))
    return 'the DAV header lists extended-mkcol';
  const report = REPORTS[feature];
  if (report && reportSet(run).includes(report)) return `DAV:supported-report-set lists ${report}`;
  const promise = CALENDAR_ACCESS_PROMISES[feature];
  if (promise && run.davClasses.includes('calendar-access'))
    return `calendar-access is advertised, which requires it (${promise})`;
  return undefined;
}

export function stateOf(grade: FeatureGrade, claim: string | undefined): CapabilityState {
  if (grade === 'full' || grade === 'quirk' || grade === 'fragile') return 'present';
  if (grade === 'broken') return 'broken';
  // unsupported, or ungraceful (refused with a 5xx or a dropped connection): absent, unless claimed.
  return claim ? 'broken' : 'absent';
}

export function requestLine(ex: Exchange): ProbeRequest {
  let url = ex.request.url;
  try {
    url = new URL(url).pathname;
  } catch {
    // keep the URL as recorded
  }
  return {
    method: ex.request.method,
    url,
    ...(ex.response ? { status: ex.response.status } : {}),
    ...(ex.error && !ex.response ? { error: ex.error } : {}),
  };
}

function requestsOf(run: FeatureProbeRun, step: ProbeStep): ProbeRequest[] {
  const earlier = run.steps.filter((s) => step.uses.includes(s.id));
  return [...earlier, step].flatMap((s) => s.exchanges.map(requestLine));
}

/** The capability as the probes decided it, or undefined when no probe result covers it. */
export function decide(feature: Feature, run: FeatureProbeRun): Capability | undefined {
  for (const step of run.steps) {
    for (const r of step.results) {
      const pinned = r.features?.[feature];
      if (r.feature !== feature && pinned === undefined) continue;
      const claim = claimOf(feature, run);
      const state = r.feature === feature ? stateOf(r.grade, claim) : pinned ? 'present' : 'absent';
      const unkept = state === 'broken' && claim && r.grade !== 'broken' && !r.observed.includes(claim);
      const observed = r.observedFor?.[feature] ?? r.observed;
      const evidence = unkept ? `${observed}, yet ${claim}` : observed;
      return { feature, state, source: 'probe', evidence, requests: requestsOf(run, step) };
    }
  }
  // The probe meant to decide it failed unexpectedly: run the scenarios and let them show it.
  const step = run.steps.find((s) => s.id === PROBE_FOR[feature]);
  const failed = step?.results.find((r) => r.grade === 'broken');
  if (step && failed)
    return { feature, state: 'broken', source: 'probe', evidence: failed.observed, requests: requestsOf(run, step) };
  return undefined;
}
