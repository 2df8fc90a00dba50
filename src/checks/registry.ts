// The registry of check kinds. Adding a kind here makes it available to suites, merges its
// argument schema into the suite schema (typos fail at load time) and lists it in `calspec checks`.
import type { CheckKind } from './types.js';
import { statusCheck } from './status.js';
import { headerCheck } from './header.js';
import { etagCheck } from './etag.js';
import { davErrorCheck } from './dav-error.js';
import { multistatusCheck } from './multistatus.js';
import { propstatCheck } from './propstat.js';
import { xmlCheck } from './xml.js';
import { icalCheck } from './ical.js';
import { bodyCheck } from './body.js';
import { anyOfCheck } from './any-of.js';

// Each kind is typed on its own args; the registry erases that, since suites supply validated unknowns.
export const CHECKS: ReadonlyMap<string, CheckKind<unknown>> = new Map(
  [
    statusCheck,
    headerCheck,
    etagCheck,
    davErrorCheck,
    multistatusCheck,
    propstatCheck,
    xmlCheck,
    icalCheck,
    bodyCheck,
    anyOfCheck,
  ].map((kind) => [kind.name, kind as CheckKind<unknown>]),
);

export function checkKind(name: string): CheckKind<unknown> | undefined {
  return CHECKS.get(name);
}
