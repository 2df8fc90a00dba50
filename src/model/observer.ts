// What a conformance run tells whoever watches it, as it happens. The runner (src/engine) emits
// these hooks; reporters (src/report) implement them. Defined here so neither imports the other.
import type { ConnectionInfo, ScenarioResult } from './result.js';

export interface RunStartInfo {
  runId: string;
  target: string;
  scenarioCount: number;
  /** Keep-alive on or off, and why (the connection check may have switched it off). */
  connection?: ConnectionInfo;
}

/** Every hook is optional; an observer that throws must not stop the run (see the multiplexer). */
export interface RunObserver {
  onRunStart?(info: RunStartInfo): void;
  onScenarioStart?(key: string, title: string): void;
  onScenarioEnd?(result: ScenarioResult, index: number, total: number): void;
}
