// The discover probes. Each sends a handful of requests and grades one capability with the
// observed behaviour in one line. Writes happen only inside the scratch calendar (or, when the
// server refuses MKCALENDAR, as run-prefixed objects in an existing calendar) and in run-prefixed
// collections under the home; the sandbox tracks all of it for cleanup.
export { probeAuth, probeOptions, probePrincipal, probeTimezoneByReference, probeWellKnown } from './account.js';
export {
  findExistingCalendar,
  probeCalendarProps,
  probeExtendedMkcol,
  probeMkcalendar,
  probeMkcol,
} from './collections.js';
export { probeComponent, probeDelete, probePutGet, probeVfreebusy } from './objects.js';
export { probeCalendarQuery, probeExpand, probeFreeBusy, probeMultiget } from './reports.js';
export { probeSyncAndCtag } from './sync.js';
export { probeLock, probeProppatch } from './methods.js';
export { probeCopyMove } from './copy-move.js';
export { probeAcl, probeScheduling } from './acl-scheduling.js';
export { seedEvents } from './shared.js';
