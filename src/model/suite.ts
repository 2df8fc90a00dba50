// Types of a loaded, validated suite file. Line/column positions are kept so that
// later errors (an unknown variable, a path outside the sandbox) can still name file:line:col.

export type Level = 'MUST' | 'MUST NOT' | 'SHOULD' | 'SHOULD NOT' | 'MAY';

/** A position in a source file (1-based line and column). */
export interface SourcePos {
  file: string;
  line: number;
  col: number;
}

/** How a scenario is graded when it does not pass. */
export type ScenarioMode = 'normative' | 'informational';

export interface RequestSpec {
  method: string;
  /** Target path, `${var}` interpolated; absolute path, or a full URL. */
  path: string;
  headers?: Record<string, string>;
  /** Inline body text (interpolated). */
  body?: string;
  /** Body read from `fixtures/<bodyFile>` (interpolated). */
  bodyFile?: string;
  /** Which configured user sends the request: 1 (default) or 2. */
  as?: 1 | 2;
  /** Send without credentials (to test 401 behaviour). */
  anonymous?: boolean;
  /** Follow redirects (recorded either way); default false. */
  followRedirects?: boolean;
}

/** One check as written in YAML: exactly one key, the check kind, with its arguments. */
export interface CheckSpec {
  kind: string;
  args: unknown;
  pos: SourcePos;
}

export interface CaptureSpec {
  /** Variable name to assign. */
  name: string;
  kind: string;
  args: unknown;
  pos: SourcePos;
}

export interface StepSpec {
  name: string;
  request: RequestSpec;
  /** Checks that must hold for the scenario to apply at all; when one fails the scenario is skipped. */
  assumptions: CheckSpec[];
  checks: CheckSpec[];
  captures: CaptureSpec[];
  pos: SourcePos;
}

export interface ScenarioSpec {
  id: string;
  title: string;
  level: Level;
  requirement: string;
  /** Requirement ids from the catalogue that this scenario verifies. */
  covers: string[];
  /** Features the target must have (union with the suite's). */
  requires: string[];
  /** Number of distinct users the scenario needs (1 or 2). */
  users: 1 | 2;
  mode: ScenarioMode;
  /**
   * The scenario makes the server write outside the sandbox (e.g. scheduling delivers into another
   * user's inbox): it runs only with --allow-account-writes, and its steps are then unfenced.
   */
  accountWrites: boolean;
  /** Whether the runner creates a fresh calendar `${cal}` before setup (default true). */
  calendar: boolean;
  /** Optional MKCALENDAR body (interpolated) for the scenario calendar. */
  calendarBody?: string;
  /**
   * Why the scenario needs a calendar of its own (it changes or reads the collection as a whole):
   * in shared-calendar mode it is skipped with this reason.
   */
  ownCalendar?: string;
  setup: StepSpec[];
  steps: StepSpec[];
  teardown: StepSpec[];
  pos: SourcePos;
}

export interface SuiteSpec {
  id: string;
  title: string;
  rfc: string;
  section: string;
  requires: string[];
  scenarios: ScenarioSpec[];
  file: string;
}

/** Full id of a scenario, also used as deep link: `rfc4791/7.8/time-range-basic`. */
export function scenarioKey(suite: Pick<SuiteSpec, 'rfc' | 'section'>, scenarioId: string): string {
  return `rfc${suite.rfc}/${suite.section}/${scenarioId}`;
}
