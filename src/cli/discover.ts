// `calspec discover <url>`: probe a server's capabilities, grade each, print a table or JSON, and
// optionally write a profile draft.
import { writeFileSync } from 'node:fs';
import { CalspecError, EXIT } from '../model/exit-codes.js';
import { loadProfile } from '../profile/load.js';
import type { Sandbox } from '../dav/sandbox.js';
import { profileDraft, renderDiscoverTable, runDiscover, type DiscoverReport } from '../discover/index.js';
import { profileName } from '../discover/profile-draft.js';
import { renderProbeLine } from '../discover/table.js';
import { flag, int, parse, str, targetUrl } from './args.js';
import { pendingText, trapInterrupts } from './interrupts.js';
import { CREDENTIAL_OPTIONS, readCredentials, readTls, TLS_OPTIONS } from './credentials.js';

export const DISCOVER_HELP =
  `Usage: calspec discover URL [options]

Probes what a CalDAV server implements and grades each capability:
  full         works as the RFCs say
  quirk        works, with a deviation clients must know about
  fragile      works, but not on quick successive operations (e.g. second-precision sync tokens)
  broken       claims to work but gives wrong results
  unsupported  cleanly refused (403/405/501) or absent
  ungraceful   unsupported, but answered with a 5xx, a dropped connection or a malformed body

Probes: OPTIONS (DAV classes, Allow), authentication, /.well-known/caldav, principal, calendar
home, then in a scratch calendar it creates (calspec-<run-id>-discover, always removed again,
also on Ctrl-C): MKCALENDAR, extended MKCOL, MKCOL, supported-report-set,
supported-calendar-component-set, limit properties, PUT/GET/ETags, VTODO, VJOURNAL, DELETE,
calendar-query time-range, expand, multiget, free-busy-query, sync-collection (initial,
incremental, deletions, quick successive writes), getctag, PROPPATCH and dead properties,
COPY/MOVE, LOCK, current-user-privilege-set, ACL, scheduling and Schedule-Tag.

Options:
  -u, --user NAME, --password-file FILE, --password PW, --auth KIND, --no-auth
                            credentials as for calspec run (CALSPEC_USER / CALSPEC_PASSWORD)
  -p, --profile NAME|FILE   layout hints (principal, home, calendar) for servers that need them
      --calendar URL        where to probe when no scratch calendar can be created (run-prefixed
                            objects only, removed again); default: the profile's, else the first in the home
      --json                print the report as JSON instead of the table
      --write-profile FILE  write a profile draft (features from the grades, quirks from observations)
      --name NAME           profile name for the draft (default: from the Server header or host)
      --display-name TEXT   displayName for the draft
  -k, --insecure            do not verify TLS certificates;  ` +
  `--ca FILE  trust the CAs in FILE (PEM) instead of the public roots
      --timeout MS          per-request timeout (default 30000)
      --no-keep-alive       send every request on a new connection (for servers slow on reused ones)

Exit codes: 0 probed (whatever the grades), 2 bad usage, 3 unreachable / auth failure / not CalDAV,
4 interrupted (after cleanup).`;

const OPTIONS = {
  ...CREDENTIAL_OPTIONS,
  profile: { type: 'string', short: 'p' },
  calendar: { type: 'string' },
  json: { type: 'boolean' },
  'write-profile': { type: 'string' },
  name: { type: 'string' },
  'display-name': { type: 'string' },
  ...TLS_OPTIONS,
  timeout: { type: 'string' },
  'no-keep-alive': { type: 'boolean' },
} as const;

export async function discoverCommand(argv: string[]): Promise<number> {
  const p = parse('discover', argv, OPTIONS);
  const target = p.positionals[0] ?? process.env.CALSPEC_TARGET;
  if (!target) throw new CalspecError('calspec discover: a URL is required (see calspec discover --help)', EXIT.usage);
  if (p.positionals.length > 1)
    throw new CalspecError(`calspec discover: one URL expected, got ${p.positionals.length}`, EXIT.usage);
  targetUrl(target);
  const profile = str(p, 'profile') ? loadProfile(str(p, 'profile')!) : undefined;
  const [credentials] = readCredentials(p, profile?.auth === 'bearer' ? 'bearer' : 'auto');
  const tls = readTls(p);
  const json = flag(p, 'json');
  const timeoutMs = int(p, 'timeout', 100, 600_000);
  // A decoded path on the target: the probes append run-prefixed object names to it.
  const calendar = str(p, 'calendar') ? calendarPath(str(p, 'calendar')!, target) : undefined;
  let sandbox: Sandbox | undefined;
  const interrupts = trapInterrupts('removing the scratch calendar', () => pendingText(sandbox?.pending() ?? []));
  let report: DiscoverReport;
  try {
    if (!json) process.stdout.write(`${'probe'.padEnd(34)} ${'grade'.padEnd(11)} observed\n`);
    report = await runDiscover({
      target,
      credentials: credentials!,
      signal: interrupts.signal,
      onSandbox: (s) => (sandbox = s),
      ...(json
        ? {}
        : { onProbe: (probe) => process.stdout.write(`${renderProbeLine(probe, process.stdout.columns || 140)}\n`) }),
      ...(profile ? { profile } : {}),
      ...(calendar ? { calendar } : {}),
      ...tls,
      ...(timeoutMs ? { timeoutMs } : {}),
      ...(flag(p, 'no-keep-alive') ? { keepAlive: false } : {}),
    });
  } finally {
    interrupts.dispose();
  }
  if (json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    // The probe lines were printed live; now the target and the summary.
    process.stdout.write(`\n${renderDiscoverTable(report, process.stdout.columns || 140, false)}`);
  }
  const out = str(p, 'write-profile');
  if (out && !report.interrupted) {
    const name = str(p, 'name') ?? profileName(report);
    if (!/^[a-z0-9][a-z0-9.-]*$/.test(name))
      throw new CalspecError(`--name '${name}': use lower-case letters, digits, dots and dashes`, EXIT.usage);
    writeFileSync(
      out,
      profileDraft(report, { name, ...(str(p, 'display-name') ? { displayName: str(p, 'display-name')! } : {}) }),
      'utf8',
    );
    loadProfile(out);
    process.stderr.write(`profile draft written to ${out}\n`);
  }
  return report.interrupted ? EXIT.interrupted : EXIT.ok;
}

function calendarPath(calendar: string, target: string): string {
  let url: URL;
  try {
    url = new URL(calendar, target);
  } catch {
    throw new CalspecError(`--calendar: '${calendar}' is not a URL or path`, EXIT.usage);
  }
  if (url.origin !== new URL(target).origin)
    throw new CalspecError(`--calendar ${calendar} is not on the target ${target}`, EXIT.usage);
  const path = decodeURIComponent(url.pathname);
  return path.endsWith('/') ? path : `${path}/`;
}
