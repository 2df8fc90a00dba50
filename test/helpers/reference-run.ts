// One way for integration tests to run suites against a throwaway embedded reference server with
// injected faults. The server is in memory and discarded, so account-level writes run too.
import { runConformance, type RunOptions } from '../../src/engine/runner.js';
import { startReferenceServer } from '../../src/server/index.js';
import type { RunResults } from '../../src/model/result.js';
import type { SuiteSpec } from '../../src/model/suite.js';

export const REFERENCE_USERS = [
  { name: 'test', password: 'test-pw-1' },
  { name: 'user1', password: 'user1-pw-2' },
];

export async function runOnReference(
  faults: string[],
  suites: SuiteSpec[],
  extra: Partial<RunOptions> = {},
  users = REFERENCE_USERS,
): Promise<RunResults> {
  const server = await startReferenceServer({ port: 0, users, faults, quiet: true });
  try {
    return await runConformance({
      target: server.url,
      suites,
      jobs: 8,
      allowAccountWrites: true,
      users: users.map((u) => ({ user: u.name, password: u.password, kind: 'basic' as const })),
      ...extra,
    });
  } finally {
    await server.stop();
  }
}
