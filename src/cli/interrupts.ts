// Ctrl-C / SIGTERM for every command that writes to a server: the first signal aborts (the
// command then stops sending, cleans up and reports), a second one exits at once (exit 4) and
// says what may be left behind.
import { EXIT } from '../model/exit-codes.js';

export interface Interrupts {
  signal: AbortSignal;
  /** Remove the handlers (call in a finally). */
  dispose(): void;
}

/**
 * @param stopping what the first signal does, e.g. "cleaning up what this run created"
 * @param leftovers text printed on the second signal: what may still be on the server ('' for nothing)
 */
export function trapInterrupts(stopping: string, leftovers: () => string): Interrupts {
  const controller = new AbortController();
  const onSignal = (name: string) => {
    if (!controller.signal.aborted) {
      process.stderr.write(`\ncalspec: ${name}: stopping; ${stopping} (${name} again to exit now)\n`);
      controller.abort();
      return;
    }
    const left = leftovers();
    process.stderr.write(`calspec: exiting without cleanup.${left ? ` ${left}` : ''}\n`);
    process.exit(EXIT.interrupted);
  };
  const sigint = () => onSignal('SIGINT');
  const sigterm = () => onSignal('SIGTERM');
  process.on('SIGINT', sigint);
  process.on('SIGTERM', sigterm);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', sigint);
      process.off('SIGTERM', sigterm);
    },
  };
}

/** The second-signal text for a sandbox's pending paths. */
export function pendingText(pending: string[], target?: string): string {
  if (pending.length === 0) return '';
  return (
    `Possibly left on the server:\n` +
    `  ${pending.join('\n  ')}${target ? `\nRemove with: calspec cleanup ${target}` : ''}`
  );
}
