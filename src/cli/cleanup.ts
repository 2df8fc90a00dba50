// `calspec cleanup <url>`: list — and with --yes delete — what interrupted or killed runs left:
// run-prefixed collections under the calendar home and run-prefixed objects in the home and its
// calendars. Dry run by default; only what is verified gone counts as deleted.
import { CalspecError, EXIT } from '../model/exit-codes.js';
import { Authenticator } from '../dav/auth.js';
import { discover } from '../dav/bootstrap.js';
import { DavClient } from '../dav/http.js';
import { Redactor } from '../dav/redact.js';
import { findLeftovers, olderThan, parseDuration, removeLeftovers, type Leftover } from '../dav/leftovers.js';
import { RUN_ID } from '../dav/run-id.js';
import { loadProfile } from '../profile/load.js';
import { flag, int, list, parse, str, targetUrl } from './args.js';
import { CREDENTIAL_OPTIONS, readCredentials, readTls, TLS_OPTIONS } from './credentials.js';
import { registerCleanupHeaders } from '../dav/cleanup-headers.js';

export const CLEANUP_HELP =
  `Usage: calspec cleanup <URL> --user NAME [--password-file FILE] [--yes] [--run ID] [--calendar URL]

Finds what interrupted or killed runs left on a server: collections under the calendar home whose
name starts 'calspec-<run-id>' (and whose displayname is calspec's, or empty), objects named
'calspec-<run-id>-...' in the home and in each calendar of the home, and objects of any name whose
UID is 'calspec-<run-id>-...' in those calendars and the schedule inbox (copies scheduling made).
Nothing else is ever touched. Lists them; deletes them only with --yes, then looks again: what is still there is
reported on stderr.

Options:
  -t, --target URL          the server (or give it as the first argument)
  -u, --user NAME           --password, --password-file FILE, CALSPEC_PASSWORD, --auth KIND, --no-auth
      --user2 NAME          also clean the second user's home (--password2, --password2-file)
  -p, --profile NAME|FILE   layout hints and auth kind for discovery
      --run ID              only what run ID left (e.g. 20250102-030405-ab12)
      --calendar URL        also look into this calendar (repeatable; e.g. a shared calendar)
      --older-than DUR      only runs that started more than DUR ago (e.g. 30m, 1h, 2d)
      --yes                 delete them (default: dry run, print only)
      --dry-run             print only (the default; overrides --yes)
  -k, --insecure            do not verify TLS certificates;  ` +
  `--ca FILE  trust the CAs in FILE (PEM) instead of the public roots
      --timeout MS          per request (default 30000)

Exit: 0 done (or nothing found), 1 something could not be removed (listed on stderr), 2 usage,
3 target/TLS/auth error.`;
export async function cleanupCommand(argv: string[]): Promise<number> {
  const p = parse('cleanup', argv, {
    ...CREDENTIAL_OPTIONS,
    target: { type: 'string', short: 't' },
    profile: { type: 'string', short: 'p' },
    'older-than': { type: 'string' },
    run: { type: 'string' },
    calendar: { type: 'string', multiple: true },
    yes: { type: 'boolean', short: 'y' },
    'dry-run': { type: 'boolean' },
    ...TLS_OPTIONS,
    timeout: { type: 'string' },
  });
  if (p.positionals.length > 1)
    throw new CalspecError(`calspec cleanup: one URL expected, got ${p.positionals.length} arguments`, EXIT.usage);
  const target = p.positionals[0] ?? str(p, 'target') ?? process.env.CALSPEC_TARGET;
  if (!target)
    throw new CalspecError(
      'calspec cleanup: the server URL is required (calspec cleanup URL, or --target)',
      EXIT.usage,
    );
  const url = targetUrl(target).toString();
  const baseUrl = url.endsWith('/') ? url : `${url}/`;
  const olderText = str(p, 'older-than');
  const olderMs = olderText === undefined ? undefined : parseDuration(olderText);
  if (olderText !== undefined && olderMs === undefined)
    throw new CalspecError(`--older-than: expected a duration such as 30m, 1h or 2d, got '${olderText}'`, EXIT.usage);
  const runId = str(p, 'run');
  if (runId !== undefined && !RUN_ID.test(runId))
    throw new CalspecError(`--run: expected a run id such as 20250102-030405-ab12, got '${runId}'`, EXIT.usage);
  const calendars = list(p, 'calendar').map((c) => targetUrl(c).toString());
  const profile = str(p, 'profile') ? loadProfile(str(p, 'profile')!) : undefined;
  const users = readCredentials(p, profile?.auth === 'bearer' ? 'bearer' : 'auto');
  const tls = readTls(p);
  const redactor = new Redactor();
  users.forEach((u) =>
    redactor.add(
      u.password,
      users.map((x) => x.user),
    ),
  );
  const timeoutMs = int(p, 'timeout', 100, 600_000);
  const client = new DavClient({
    redactor,
    ...(timeoutMs ? { timeoutMs } : {}),
    ...tls,
  });
  registerCleanupHeaders(baseUrl, profile);
  const yes = flag(p, 'yes') && !flag(p, 'dry-run');
  let failures = 0;
  try {
    for (const cred of users) {
      const auth = new Authenticator(cred);
      const found = await discover(client, baseUrl, auth, cred.user, profile?.layout ?? {});
      let items: Leftover[] = await findLeftovers(client, baseUrl, found.home, auth, {
        ...(runId ? { runId } : {}),
        calendars,
        byUid: { principal: found.principal },
      });
      const total = items.length;
      if (olderMs !== undefined) items = olderThan(items, olderMs);
      const skipped = total - items.length;
      process.stdout.write(
        `${cred.user}: ${describeCount(items)} under ${found.home}` +
          `${skipped ? ` (${skipped} newer than ${olderText} kept)` : ''}\n`,
      );
      for (const item of items)
        process.stdout.write(
          `  ${item.path}  (${item.kind}, run ${item.runId}` +
            `${item.startedAt ? `, started ${item.startedAt.toISOString()}` : ''})\n`,
        );
      if (!items.length) continue;
      if (!yes) {
        process.stdout.write('dry run: nothing deleted; pass --yes to delete these\n');
        continue;
      }
      const { removed, failed } = await removeLeftovers(client, baseUrl, items, auth);
      process.stdout.write(
        `deleted ${removed.length}${failed.length ? `, ${failed.length} could not be removed` : ''}\n`,
      );
      for (const f of failed) process.stderr.write(`calspec: could not remove ${f.path}: ${redactor.text(f.why)}\n`);
      failures += failed.length;
    }
  } finally {
    await client.close();
  }
  return failures ? EXIT.failures : EXIT.ok;
}

/** "2 calspec sandbox collections and 3 objects" */
function describeCount(items: Leftover[]): string {
  const cols = items.filter((i) => i.kind === 'collection').length;
  const objs = items.length - cols;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(cols, 'calspec sandbox collection')}${objs ? ` and ${plural(objs, 'run-prefixed object')}` : ''}`;
}
