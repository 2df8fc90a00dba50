// Server profiles: what a server implements, its quirks, and its known failures.

/** Optional parts of the CalDAV family a server may or may not implement. Scenarios `require` these. */
export const FEATURES = [
  'mkcalendar',
  'calendar-query',
  'calendar-multiget',
  'sync-collection',
  'free-busy-query',
  'expand',
  'limit-recurrence-set',
  'vtodo',
  'vjournal',
  'getctag',
  'acl',
  'lock',
  'extended-mkcol',
  'timezone-by-reference',
  'scheduling',
  'copy',
  'move',
  'dead-properties',
  'well-known',
  'auth',
  'mkcol',
  'limit-freebusy-set',
  'schedule-tag',
  'max-resource-size',
  'date-limits',
  'max-instances',
  'max-attendees',
  'current-user-privilege-set',
  'proppatch',
  'vfreebusy',
] as const;

export type Feature = (typeof FEATURES)[number];

/**
 * Why a baselined scenario fails on this server, once a person has judged it against the RFC:
 * `server-bug` (the server violates the scenario's requirement), `limitation:<name>` (a named
 * limitation of the server, e.g. of its test harness), or `untriaged` (copied from a run, not yet
 * judged; `calspec run` warns about these and the committed profiles must have none).
 */
export type BaselineClass = 'server-bug' | 'untriaged' | `limitation:${string}`;

export interface BaselineEntry {
  /** Scenario key `rfc4791/7.8/<id>` or bare scenario id. */
  scenario: string;
  /** What the run observed (the failure message when the entry was written). */
  reason: string;
  /** Absent in files written before triage existed: counts as untriaged. */
  class?: BaselineClass;
  /** Why the server is wrong, in our own words, citing the RFC section ("RFC 4791 §5.3.2: ..."). */
  why?: string;
  link?: string;
}

export interface ProfileQuirk {
  id: string;
  description: string;
}

export interface ServerProfile {
  name: string;
  displayName: string;
  /** True when the profile was produced from real runs here; false for documentation-only profiles. */
  verified: boolean;
  version?: string;
  homepage?: string;
  auth: 'basic' | 'digest' | 'bearer' | 'none' | 'basic-or-bearer';
  layout: {
    /** Path to start discovery from when the user gives only a host. */
    contextPath?: string;
    principal?: string;
    home?: string;
    /** A calendar to work in when MKCALENDAR is not available (objects then carry run-prefixed names). */
    calendar?: string;
  };
  features: Partial<Record<Feature, boolean>>;
  /**
   * Extra headers on the DELETEs of calspec's own clean-up (not on scenario requests), e.g.
   * Nextcloud's `X-NC-CalDAV-No-Trashbin: 1` so that removed calendars skip its trash bin.
   */
  deleteHeaders?: Record<string, string>;
  /**
   * Where the server keeps deleted objects, relative to a calendar home (Nextcloud:
   * `trashbin/objects/`); calspec's clean-up also removes from there what carries its run's UIDs.
   */
  trashCollection?: string;
  quirks: ProfileQuirk[];
  baseline: BaselineEntry[];
  notes?: string;
  file?: string;
}
