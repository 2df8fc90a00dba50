// A calspec child process (node bin/calspec.js, built by `npm test`) that tests can signal.
import { spawn, type ChildProcess } from 'node:child_process';

export interface Child {
  proc: ChildProcess;
  out: () => string;
  err: () => string;
  /** Resolves with the exit code (null when killed by a signal it did not handle) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

export function startCalspec(args: string[], hardTimeoutMs = 60_000): Child {
  const proc = spawn(process.execPath, ['bin/calspec.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), hardTimeoutMs);
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, at: Date.now() });
    });
  });
  return { proc, out: () => out, err: () => err, exited };
}

/** Poll until `cond` holds (or throw after `ms`). */
export async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** `calspec serve` in a child process; resolves with its URL. */
export async function startServeChild(
  users: string,
  extra: string[] = [],
): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = startCalspec(['serve', '--port', '0', '--users', users, '--quiet', ...extra], 600_000);
  await waitFor(() => /^https?:\/\/\S+\n/.test(child.out()), 15_000, `calspec serve to print its URL (${child.err()})`);
  return {
    url: child.out().split('\n')[0]!,
    stop: async () => {
      child.proc.kill('SIGTERM');
      await child.exited;
    },
  };
}
