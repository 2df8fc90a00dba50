// One probe's unexpected trouble must not stop the others; an interrupt (or a failed login) must.
import { Interrupted } from './context.js';
import type { ProbeResult } from './types.js';

/** Runs one probe; on an unexpected error it reports the probe as broken and returns undefined. */
export type Guard = <T>(id: string, fn: () => Promise<T>) => Promise<T | undefined>;

/**
 * @param loginFatal a 401 (CalspecError with an exit code) ends everything: right for `calspec
 * discover`; a conformance run treats it as that probe's trouble and carries on.
 */
export function makeGuard(add: (probe: ProbeResult) => void, signal?: AbortSignal, loginFatal = true): Guard {
  return async <T>(id: string, fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof Interrupted || signal?.aborted) throw new Interrupted('interrupted');
      if (loginFatal && (error as { exitCode?: number }).exitCode !== undefined) throw error;
      add({ id, title: id, grade: 'broken', observed: `probe failed: ${(error as Error).message.split('\n')[0]}` });
      return undefined;
    }
  };
}
