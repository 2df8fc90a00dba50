// What the bootstrap (principal and calendar-home discovery) judges on its way. Each requirement is
// also an ordinary suite scenario with the same key, so a healthy run grades it like any other; when
// the bootstrap itself meets a violation, the runner reports that scenario failed with the
// bootstrap's exchange and blocks the rest (src/engine/discovery-results.ts).
import type { Exchange } from '../model/exchange.js';
import { CalspecError, EXIT } from '../model/exit-codes.js';
import type { Level } from '../model/suite.js';

export interface DiscoveryRequirement {
  /** The suite scenario that tests the same requirement: `rfc5397/3/cup-differs-per-user`. */
  key: string;
  rfc: string;
  section: string;
  /** The section as cited in messages, when it is more precise than the suite's section. */
  cite: string;
  level: Level;
  title: string;
  requirement: string;
}

const req = (key: string, cite: string, level: Level, title: string, requirement: string): DiscoveryRequirement => {
  const [, rfc, section] = /^rfc(\d+)\/([^/]+)\//.exec(key)!;
  return { key, rfc: rfc!, section: section!, cite, level, title, requirement };
};

export const DISCOVERY = {
  propstatStatus: req(
    'rfc4918/14.22/discovery-propstat-status',
    'RFC 4918 §14.22',
    'MUST',
    'Every propstat of a discovery PROPFIND answer carries a status',
    'Each DAV:propstat holds a DAV:status line; without it a client cannot tell found properties from missing ones.',
  ),
  ownPrincipal: req(
    'rfc5397/3/cup-differs-per-user',
    'RFC 5397 §3',
    'MUST',
    'Each user sees their own principal',
    "DAV:current-user-principal identifies the principal of the user who made the request, not anyone else's.",
  ),
  principalResource: req(
    'rfc5397/3/cup-is-principal-url',
    'RFC 5397 §3',
    'MUST',
    'current-user-principal names a resource the user can read',
    "The href in DAV:current-user-principal is the URL of the user's principal resource, " +
      'so a PROPFIND on it answers with a multistatus.',
  ),
  homeSet: req(
    'rfc4791/6.2/principal-calendar-home-set',
    'RFC 4791 §6.2.1',
    'SHOULD',
    "The principal names the user's calendar home in calendar-home-set",
    'A principal should carry CALDAV:calendar-home-set with the URL of the collection(s) holding its calendars.',
  ),
} as const;

/** One violation the bootstrap met, in the shape of a failed check. */
export interface DiscoveryFinding {
  requirement: DiscoveryRequirement;
  user: string;
  description: string;
  expected: string[];
  actual: string;
  exchange?: Exchange;
}

/** What the bootstrap learned before it stopped, for the report's target section. */
export interface PartialDiscovery {
  principal?: string;
  home?: string;
  davClasses: string[];
  serverHeader?: string;
}

/**
 * The target speaks WebDAV but its discovery answers violate a requirement. Commands that only
 * need a principal (load, cleanup, discover) exit 3 with the message; `calspec run` turns it into
 * results (the discovery scenarios failed, everything else blocked).
 */
export class DiscoveryFailed extends CalspecError {
  constructor(
    readonly findings: DiscoveryFinding[],
    readonly partial: PartialDiscovery,
  ) {
    super(`discovery failed — ${findings.map(findingLine).join('; ')}`, EXIT.target);
  }
}

export function findingLine(f: DiscoveryFinding): string {
  return `${f.requirement.cite}: ${f.description}: expected ${f.expected.join(' | ')}, got ${f.actual}`;
}
