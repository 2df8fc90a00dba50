// Exit codes are part of calspec's interface: CI scripts branch on them.
export const EXIT = {
  ok: 0,
  /** Unexpected failures (conformance), or a load threshold was crossed. */
  failures: 1,
  /** Bad usage, invalid suite/profile/workload file. */
  usage: 2,
  /** Target unreachable, TLS failure, wrong credentials, or not a CalDAV server. */
  target: 3,
  /** Interrupted by SIGINT/SIGTERM; partial results were written. */
  interrupted: 4,
  /** calspec itself failed (a bug): reported without a stack trace unless CALSPEC_DEBUG=1. */
  internal: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error that carries its exit code and a one-line message meant for the user. */
export class CalspecError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'CalspecError';
  }
}
