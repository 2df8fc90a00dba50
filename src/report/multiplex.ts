// Fans hooks out to several reporters; a reporter that throws is reported once and skipped,
// never allowed to kill the run or the other reporters.
import type { RunResults, ScenarioResult } from '../model/result.js';
import type { Reporter, RunStartInfo } from './types.js';

export class ReporterMultiplexer implements Reporter {
  readonly name = 'multiplex';
  readonly errors: string[] = [];

  constructor(
    private readonly reporters: Reporter[],
    private readonly warn: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
  ) {}

  private guard(reporter: Reporter, hook: string, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.fail(reporter, hook, error);
    }
  }

  private fail(reporter: Reporter, hook: string, error: unknown): void {
    const line = `calspec: reporter '${reporter.name}' failed in ${hook}: ${(error as Error).message ?? String(error)}`;
    this.errors.push(line);
    this.warn(line);
  }

  onRunStart(info: RunStartInfo): void {
    for (const r of this.reporters) if (r.onRunStart) this.guard(r, 'onRunStart', () => r.onRunStart!(info));
  }

  onScenarioStart(key: string, title: string): void {
    for (const r of this.reporters)
      if (r.onScenarioStart) this.guard(r, 'onScenarioStart', () => r.onScenarioStart!(key, title));
  }

  onScenarioEnd(result: ScenarioResult, index: number, total: number): void {
    for (const r of this.reporters)
      if (r.onScenarioEnd) this.guard(r, 'onScenarioEnd', () => r.onScenarioEnd!(result, index, total));
  }

  async onRunEnd(results: RunResults, outDir: string): Promise<string[]> {
    const files: string[] = [];
    for (const r of this.reporters) {
      if (!r.onRunEnd) continue;
      try {
        files.push(...(await r.onRunEnd(results, outDir)));
      } catch (error) {
        this.fail(r, 'onRunEnd', error);
      }
    }
    return files;
  }
}
