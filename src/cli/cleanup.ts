// `calspec cleanup <url>`: list — and with --yes delete — the sandbox calendars that killed runs
// left under the calendar home. Dry run by default.
import { CalspecError, EXIT } from '../model/exit-codes.js';
import { Authenticator } from '../dav/auth.js';
import { discover } from '../dav/bootstrap.js';
import { DavClient } from '../dav/http.js';
import { Redactor } from '../dav/redact.js';
import { findLeftovers, olderThan, parseDuration, removeLeftovers, type Leftover } from '../dav/leftovers.js';
import { loadProfile } from '../profile/load.js';
import { flag, int, parse, str, targetUrl } from './args.js';
import { CREDENTIAL_OPTIONS, readCredentials, readTls, TLS_OPTIONS } from './credentials.js';

export const CLEANUP_HELP =
  `Usage: calspec cleanup <URL> --user NAME [--password-file FILE] [--yes] [--older-than 1h]

Finds what interrupted or killed runs left on a server: collections under the calendar home whose
name starts 'calspec-<run-id>' and whose displayname is calspec's marker ('calspec sandbox <run-id> ...').
Nothing else is ever touched. Lists them; deletes them only with --yes.

Options:
  -t, --target URL          the server (or give it as the first argument)
  -u, --user NAME           --password, --password-file FILE, CALSPEC_PASSWORD, --auth KIND, --no-auth
      --user2 NAME          also clean the second user's home (--password2, --password2-file)
  -p, --profile NAME|FILE   layout hints and auth kind for discovery
      --older-than DUR      only runs that started more than DUR ago (e.g. 30m, 1h, 2d)
      --yes                 delete them (default: dry run, print only)
  -k, --insecure            do not verify TLS certificates;  ` +
  `--ca FILE  trust the CAs in FILE (PEM) instead of the public roots
      --timeout MS          per request (default 30000)

Exit: 0 done (or nothing found), 1 some deletions failed, 2 usage, 3 target/TLS/auth error.`;

export async function cleanupCommand(argv: string[]): Promise<number> {
  const p = parse('cleanup', argv, {
    ...CREDENTIAL_OPTIONS,
    target: { type: 'string', short: 't' },
    profile: { type: 'string', short: 'p' },
    'older-than': { type: 'string' },
    yes: { type: 'boolean', short: 'y' },
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
  const yes = flag(p, 'yes');
  let failures = 0;
  try {
    for (const cred of users) {
      const auth = new Authenticator(cred);
      const found = await discover(client, baseUrl, auth, cred.user, profile?.layout ?? {});
      let items: Leftover[] = await findLeftovers(client, baseUrl, found.home, auth);
      const total = items.length;
      if (olderMs !== undefined) items = olderThan(items, olderMs);
      const skipped = total - items.length;
      process.stdout.write(
        `${cred.user}: ${items.length} calspec sandbox collection${items.length === 1 ? '' : 's'} ` +
          `under ${found.home}${skipped ? ` (${skipped} newer than ${olderText} kept)` : ''}\n`,
      );
      for (const item of items)
        process.stdout.write(
          `  ${item.path}  (run ${item.runId}${item.startedAt ? `, started ${item.startedAt.toISOString()}` : ''})\n`,
        );
      if (!items.length) continue;
      if (!yes) {
        process.stdout.write('dry run: nothing deleted; pass --yes to delete these\n');
        continue;
      }
      const { removed, failed } = await removeLeftovers(client, baseUrl, items, auth);
      process.stdout.write(`deleted ${removed.length}\n`);
      for (const f of failed) process.stderr.write(`calspec: could not delete ${f.path}: ${redactor.text(f.why)}\n`);
      failures += failed.length;
    }
  } finally {
    await client.close();
  }
  return failures ? EXIT.failures : EXIT.ok;
}
