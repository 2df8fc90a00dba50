// Where the Nextcloud 34.0.1 release tree is expected (NEXTCLOUD_SRC, else the folder
// scripts/sources/nextcloud.sh writes), and why tests that need it skip on a machine without it:
// Nextcloud is not a Debian package, so CI machines without the tree skip instead of failing.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function nextcloudSourceDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.NEXTCLOUD_SRC) return env.NEXTCLOUD_SRC;
  const cache = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(cache, 'calspec', 'sources', 'nextcloud-34.0.1', 'nextcloud');
}

/** undefined when a Nextcloud 34 tree is there; otherwise what is missing and how to get it. */
export function nextcloudSourceMissing(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = nextcloudSourceDir(env);
  const version = join(dir, 'version.php');
  if (existsSync(version) && existsSync(join(dir, 'occ')) && readFileSync(version, 'utf8').includes('array(34,0,'))
    return undefined;
  return (
    `no Nextcloud 34.0.1 tree at ${dir}: set NEXTCLOUD_SRC to the unpacked release archive's nextcloud/ ` +
    `folder or run scripts/sources/nextcloud.sh MIRROR`
  );
}
