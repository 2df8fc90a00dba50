// Shared bits of the interop tests: temp dirs and a reference server per test.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReferenceServer, type RunningServer } from '../../src/server/index.js';

export const USERS = [
  { name: 'test', password: 'test-pw-1' },
  { name: 'user1', password: 'user1-pw-2' },
];

export function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `calspec-interop-${tag}-`));
}

export function reference(faults: string[] = []): Promise<RunningServer> {
  return startReferenceServer({ port: 0, users: USERS, faults, quiet: true });
}

/** Capture stdout/stderr writes of a CLI command function. */
export async function captured<T>(fn: () => Promise<T>): Promise<{ value: T; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => (
    out.push(String(chunk)),
    true
  )) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => (
    err.push(String(chunk)),
    true
  )) as typeof process.stderr.write;
  try {
    const value = await fn();
    return { value, out: out.join(''), err: err.join('') };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}
