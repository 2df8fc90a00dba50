// Switchable protocol violations, and switchable absences of optional capabilities. Each is a
// named, grep-able hook (`faults.has('name')`) in the one code path it changes, so a reader can see
// exactly what a real broken (or merely smaller) server would do.

export interface FaultInfo {
  name: string;
  description: string;
  /** The requirement the fault breaks, e.g. 'RFC 7232 §3.1'; 'none' for an absence. */
  violates: string;
  /**
   * Absences only: the section that makes the removed capability optional. A server without it
   * still conforms, so no scenario may fail; the ones that need it are skipped with the evidence.
   */
  optional?: string;
  /**
   * Performance defects only (`violates: 'none'`): what slows down. No scenario may fail; the run
   * is shown to notice and work around it (test/integration/keepalive.test.ts).
   */
  performance?: string;
}

export const FAULTS: ReadonlyArray<FaultInfo> = Object.freeze([
  {
    name: 'etag-missing',
    description: 'no ETag header on GET/PUT and no DAV:getetag property',
    violates: 'RFC 4791 §5.3.4',
  },
  {
    name: 'etag-unchanged',
    description: 'the ETag does not change when a calendar object is updated',
    violates: 'RFC 7232 §2.3',
  },
  { name: 'etag-weak', description: 'weak (W/) entity tags on calendar objects', violates: 'RFC 4791 §5.3.4' },
  {
    name: 'if-match-ignored',
    description: 'PUT/DELETE with a non-matching If-Match succeeds instead of 412',
    violates: 'RFC 7232 §3.1',
  },
  {
    name: 'if-none-match-ignored',
    description: 'PUT with If-None-Match: * overwrites an existing resource',
    violates: 'RFC 7232 §3.2',
  },
  {
    name: 'propstat-merged',
    description: 'unknown properties are reported inside the 200 propstat',
    violates: 'RFC 4918 §9.1',
  },
  {
    name: 'caldata-wrong-namespace',
    description: 'calendar-data returned in the DAV: namespace',
    violates: 'RFC 4791 §9.6',
  },
  {
    name: 'timerange-end-inclusive',
    description: 'an event starting exactly at the time-range end matches',
    violates: 'RFC 4791 §9.9',
  },
  {
    name: 'recurrence-not-expanded',
    description: 'time-range only tests the first instance of a recurring component',
    violates: 'RFC 4791 §9.9',
  },
  {
    name: 'sync-omits-deletions',
    description: 'sync-collection does not report removed members',
    violates: 'RFC 6578 §3.5.2',
  },
  { name: 'sync-token-static', description: 'the sync-token never changes', violates: 'RFC 6578 §4' },
  {
    name: 'dav-header-no-calendar-access',
    description: 'OPTIONS DAV header lacks calendar-access',
    violates: 'RFC 4791 §5.1',
  },
  {
    name: 'mkcalendar-overwrites',
    description: 'MKCALENDAR on an existing resource answers 201 and replaces it',
    violates: 'RFC 4791 §5.3.1',
  },
  {
    name: 'accept-invalid-ical',
    description: 'invalid iCalendar data is stored with 201',
    violates: 'RFC 4791 §5.3.2.1',
  },
  {
    name: 'textmatch-case-sensitive',
    description: 'i;ascii-casemap text-match is compared case-sensitively',
    violates: 'RFC 4791 §9.7.5',
  },
  {
    name: 'multiget-drops-missing',
    description: 'calendar-multiget silently omits hrefs that do not exist',
    violates: 'RFC 4791 §7.9',
  },
  {
    name: 'precondition-500',
    description: 'precondition failures are answered 500 without a DAV:error body',
    violates: 'RFC 4918 §16',
  },
  { name: 'ctag-static', description: 'CS:getctag never changes', violates: 'draft-daboo-caldav-ctag §4.1' },
  {
    name: 'uid-conflict-allowed',
    description: 'a second resource with an existing UID is accepted',
    violates: 'RFC 4791 §5.3.2.1',
  },
  {
    name: 'current-user-principal-missing',
    description: 'DAV:current-user-principal is not available',
    violates: 'RFC 5397 §3',
  },
  {
    name: 'propstat-no-status',
    description: 'PROPFIND answers carry propstat elements without a DAV:status',
    violates: 'RFC 4918 §14.22',
  },
  {
    name: 'principal-other-user',
    description: "DAV:current-user-principal names another user's principal",
    violates: 'RFC 5397 §3',
  },
  {
    name: 'depth-ignored',
    description: 'Depth: 0 PROPFIND on a collection also lists its members',
    violates: 'RFC 4918 §9.1',
  },
  {
    name: 'keepalive-stall',
    description:
      'every request on a reused (keep-alive) connection is answered only after a delay ' +
      '(CALSPEC_KEEPALIVE_STALL_MS, default 4000)',
    violates: 'none',
    performance: 'reused connections',
  },
  {
    name: 'status-200-on-create',
    description: 'PUT that creates a resource answers 200 instead of 201',
    violates: 'RFC 7231 §4.3.4',
  },
  {
    name: 'put-not-stored',
    description: 'PUT that would create a calendar object answers 201 with an ETag but stores nothing',
    violates: 'RFC 4791 §5.3.2',
  },
  {
    name: 'mkcalendar-noop',
    description:
      'MKCALENDAR (and extended MKCOL of a calendar) answers 201 but creates nothing; a PUT into the ' +
      'missing collection is filed in the home of the user instead',
    violates: 'RFC 4791 §5.3.1',
  },
  {
    name: 'put-stores-on-400',
    description: 'PUT answers 400 Bad Request but stores (or replaces) the object anyway',
    violates: 'RFC 7231 §6.5.1',
  },
  {
    name: 'lock-ignored',
    description: 'LOCK is granted but writes without the lock token still succeed (no 423)',
    violates: 'RFC 4918 §7.1',
  },
  {
    name: 'acl-not-enforced',
    description: 'any ACL grant acts as DAV:all, so a read-only share is writable',
    violates: 'RFC 3744 §3.1',
  },
  {
    name: 'schedule-tag-ignored',
    description: 'If-Schedule-Tag-Match is not evaluated (stale tags overwrite)',
    violates: 'RFC 6638 §8.2',
  },
  {
    name: 'ical-lines-unfolded',
    description: 'GET serves calendar data with folded lines joined, so lines exceed 75 octets',
    violates: 'RFC 5545 §3.1',
  },
  {
    name: 'lock-refused',
    description: 'DAV class 2 is advertised, but LOCK is refused with 405',
    violates: 'RFC 4918 §18.2',
  },
  {
    name: 'no-lock',
    description: 'no locking: DAV header without class 2, LOCK and UNLOCK answer 405',
    violates: 'none',
    optional: 'RFC 4918 §6.3',
  },
  {
    name: 'no-copy',
    // RFC 4918 §9.8 makes COPY mandatory for every WebDAV resource, yet several CalDAV servers lack it:
    // one scenario (dav-copy-supported) fails, the detailed COPY scenarios are skipped as probed absent.
    description: 'no COPY (MOVE still works): COPY answers 405 and is not in Allow',
    violates: 'RFC 4918 §9.8',
  },
  {
    name: 'acl-read-only',
    description: 'the owner lacks DAV:write-acl on their calendars, so every ACL request is refused (403)',
    violates: 'none',
    optional: 'RFC 3744 §3.5',
  },
  {
    name: 'partial-move',
    description: 'MOVE of a collection answers 405, a rename within a collection 403; moves between calendars work',
    violates: 'none',
    optional: 'RFC 4918 §9.9',
  },
  {
    name: 'no-move',
    // Like no-copy: RFC 4918 §9.9 makes MOVE mandatory; only dav-move-supported fails.
    description: 'no MOVE (COPY still works): MOVE answers 501 and is not in Allow',
    violates: 'RFC 4918 §9.9',
  },
  {
    name: 'no-vfreebusy',
    description:
      'VFREEBUSY objects are not stored: never in a calendar component set, PUT refused with 403 ' +
      '(supported-calendar-component)',
    violates: 'none',
    optional: 'RFC 4791 §5.2.3',
  },
  {
    name: 'no-optional-props',
    description:
      'none of the optional calendar properties max-resource-size, min-date-time, max-date-time, ' +
      'max-instances, max-attendees-per-instance',
    violates: 'none',
    optional: 'RFC 4791 §5.2.5',
  },
  {
    name: 'tzref-vtimezone-missing',
    description: 'data stored with a zone by reference is served without its VTIMEZONE, even with CalDAV-Timezones: T',
    violates: 'RFC 7809 §3.1.3',
  },
]);

export class Faults {
  private readonly active: ReadonlySet<string>;

  constructor(names: readonly string[] = []) {
    const valid = new Set(FAULTS.map((f) => f.name));
    const unknown = names.filter((n) => !valid.has(n));
    if (unknown.length > 0) {
      throw new Error(`unknown fault(s): ${unknown.join(', ')}; valid faults: ${[...valid].join(', ')}`);
    }
    this.active = new Set(names);
  }

  has(name: string): boolean {
    return this.active.has(name);
  }

  list(): string[] {
    return [...this.active];
  }
}
