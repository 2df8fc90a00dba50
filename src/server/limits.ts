// The reference server's limits in one leaf module: several handlers read the same values (the
// advertised CalDAV properties, object validation, query checks), and keeping them here stops those
// modules from importing each other just to share a constant.

/** Request bodies larger than this are refused with 413. */
export const MAX_BODY = 10 * 1024 * 1024;

/** CALDAV:max-resource-size (RFC 4791 §5.2.5). */
export const MAX_RESOURCE_SIZE = 1024 * 1024;
/** CALDAV:min-date-time / max-date-time (RFC 4791 §5.2.6-5.2.7). */
export const MIN_DATE_TIME = '19000101T000000Z';
export const MAX_DATE_TIME = '21001231T235959Z';
/** CALDAV:max-instances / max-attendees-per-instance (RFC 4791 §5.2.8-5.2.9). */
export const MAX_INSTANCES = 10000;
export const MAX_ATTENDEES = 100;
/** Per-home quota (RFC 4331); generous, it only has to be reported consistently. */
export const QUOTA_BYTES = 100 * 1024 * 1024;

/** Upper bound on granted timeouts; RFC 4918 §10.7 lets the server pick a shorter one. */
export const MAX_TIMEOUT = 3600;
