// Applying a baseline of known failures to graded results: a listed scenario that fails becomes
// expected-fail, a listed one that passes becomes fixed (so stale entries are noticed). A blocked
// scenario stays blocked: it was not tested, so it neither confirms nor clears its entry.
import type { BaselineEntry } from '../model/profile.js';
import type { ScenarioResult } from '../model/result.js';

export class Baseline {
  readonly #entries: BaselineEntry[];

  constructor(entries: BaselineEntry[] = []) {
    this.#entries = entries;
  }

  find(result: Pick<ScenarioResult, 'key' | 'id'>): BaselineEntry | undefined {
    return this.#entries.find((e) => e.scenario === result.key || e.scenario === result.id);
  }

  apply(result: ScenarioResult): void {
    const entry = this.find(result);
    if (!entry) return;
    if (result.grade === 'failed' || result.grade === 'non-strict' || result.grade === 'errored') {
      result.baselineReason = entry.reason;
      result.grade = 'expected-fail';
    } else if (result.grade === 'passed') {
      result.baselineReason = entry.reason;
      result.grade = 'fixed';
    }
  }

  get size(): number {
    return this.#entries.length;
  }
}
