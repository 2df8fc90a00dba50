// Reporters render from results; they never send requests. Every hook is optional, and the
// multiplexer isolates reporter errors so a broken reporter never kills a run.
import type { RunResults, ScenarioResult } from '../model/result.js';

export interface RunStartInfo {
  runId: string;
  target: string;
  scenarioCount: number;
}

export interface Reporter {
  readonly name: string;
  onRunStart?(info: RunStartInfo): void;
  onScenarioStart?(key: string, title: string): void;
  onScenarioEnd?(result: ScenarioResult, index: number, total: number): void;
  /** Write output files under outDir; return their paths. */
  onRunEnd?(results: RunResults, outDir: string): Promise<string[]> | string[];
}
