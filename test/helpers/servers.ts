// Starting real servers through the project's own scripts, for integration tests.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface StartedServer {
  url: string;
  stop(): void;
}

/** Start fixtures/servers/<name>.sh on a given port with a private state dir; throws with the script's output. */
export function startScriptServer(name: string, portVar: string, port: number): StartedServer {
  const state = mkdtempSync(join(tmpdir(), `calspec-${name}-`));
  const env = { ...process.env, CALSPEC_STATE: state, [portVar]: String(port) };
  const script = join('fixtures', 'servers', `${name}.sh`);
  const url = execFileSync('bash', [script, 'start'], {
    env,
    encoding: 'utf8',
    timeout: 300_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
    .trim()
    .split('\n')
    .pop()!;
  return {
    url,
    stop: () => {
      execFileSync('bash', [script, 'stop'], { env, timeout: 60_000, stdio: 'ignore' });
    },
  };
}
