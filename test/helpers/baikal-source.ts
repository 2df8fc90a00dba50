// Where the Baïkal 0.12.1 tree is expected (BAIKAL_SRC, else the cache dir scripts/sources/baikal.sh
// writes), and why tests that need it must skip on a machine without it: Baïkal is not a Debian
// package, so CI machines without the sources skip instead of failing.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function baikalSourceDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BAIKAL_SRC) return env.BAIKAL_SRC;
  const cache = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(cache, 'calspec', 'sources', 'baikal-0.12.1');
}

/** undefined when a Baïkal tree (the folder itself, or the folder the release zip unpacked into) is there. */
export function baikalSourceMissing(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = baikalSourceDir(env);
  for (const root of [dir, join(dir, 'baikal')]) {
    if (existsSync(join(root, 'Core', 'Distrib.php')) && existsSync(join(root, 'vendor', 'autoload.php')))
      return undefined;
  }
  return (
    `no Baïkal 0.12.1 tree at ${dir}: set BAIKAL_SRC to an unpacked baikal-0.12.1.zip ` +
    `or run scripts/sources/baikal.sh MIRRORS`
  );
}
