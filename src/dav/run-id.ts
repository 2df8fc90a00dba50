// Run ids and the names they make: every collection or object a run creates is named
// `calspec-<runid>…`, so what a killed run left behind can be told from anything of the user's.

export const SANDBOX_PREFIX = 'calspec-';

/** Run ids look like 20250102-030405-ab12 (UTC start time and a random tail). */
export const RUN_ID = /^(\d{8})-(\d{6})-[a-z0-9]+$/;
/** A run-prefixed name: `calspec-<runid>` alone or followed by `-anything`. */
const RUN_NAME = /^calspec-(\d{8}-\d{6}-[a-z0-9]+)(?:-|$)/;

export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${Math.random().toString(36).slice(2, 6)}`;
}

/** The run id a resource name carries, if it is run-prefixed. */
export function runIdOfName(name: string): string | undefined {
  return RUN_NAME.exec(name)?.[1];
}

export function runIdTime(runId: string): Date | undefined {
  const m = RUN_ID.exec(runId);
  if (!m) return undefined;
  const [d, t] = [m[1]!, m[2]!];
  const ms = Date.UTC(
    +d.slice(0, 4),
    +d.slice(4, 6) - 1,
    +d.slice(6, 8),
    +t.slice(0, 2),
    +t.slice(2, 4),
    +t.slice(4, 6),
  );
  return Number.isNaN(ms) ? undefined : new Date(ms);
}
