// What `calspec discover` finds out about a server: one graded probe per capability.
import type { CleanupRecord } from '../model/result.js';
import type { Feature, ProfileQuirk, ServerProfile } from '../model/profile.js';

/**
 * full: works as the RFCs say. unsupported: cleanly refused (403/405/501, or absent).
 * quirk: works, with a deviation clients must know. fragile: works, but not under quick
 * successive operations (e.g. second-precision sync tokens). broken: claims to work but gives
 * wrong results. ungraceful: unsupported, but answered with a 5xx, a dropped connection or a
 * malformed body instead of a clean refusal.
 */
export type FeatureGrade = 'full' | 'unsupported' | 'quirk' | 'fragile' | 'broken' | 'ungraceful';

export const FEATURE_GRADES: readonly FeatureGrade[] = [
  'full',
  'quirk',
  'fragile',
  'broken',
  'unsupported',
  'ungraceful',
];

export interface ProbeResult {
  /** Probe id, e.g. `sync-collection`. */
  id: string;
  title: string;
  grade: FeatureGrade;
  /** The observed behaviour in one line. */
  observed: string;
  /** The profile feature this probe decides, if any. */
  feature?: Feature;
  /** Further features this probe decides (e.g. the calendar limit properties). */
  features?: Partial<Record<Feature, boolean>>;
  /** The observation for each of those features, when one line per feature says more than `observed`. */
  observedFor?: Partial<Record<Feature, string>>;
  /** Deviations worth writing into a profile. */
  quirks?: ProfileQuirk[];
}

export interface DiscoverReport {
  schemaVersion: 1;
  kind: 'discover';
  tool: { name: 'calspec'; version: string };
  runId: string;
  startedAt: string;
  durationMs: number;
  target: {
    url: string;
    user: string;
    principal?: string;
    home?: string;
    serverHeader?: string;
    davClasses: string[];
    allow?: string;
  };
  /** Where the probes wrote: the scratch calendar, or an existing calendar when MKCALENDAR is refused. */
  scratch?: string;
  probes: ProbeResult[];
  /** Feature decisions for a profile, from the grades. */
  features: Partial<Record<Feature, boolean>>;
  quirks: ProfileQuirk[];
  auth: ServerProfile['auth'];
  cleanup: CleanupRecord;
  interrupted: boolean;
  notes: string[];
}

/** Does a grade mean the feature is there (scenarios should run)? Broken features run so their failures show. */
export function gradeMeansPresent(grade: FeatureGrade): boolean {
  return grade === 'full' || grade === 'quirk' || grade === 'fragile' || grade === 'broken';
}
