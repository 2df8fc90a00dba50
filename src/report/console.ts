// Live progress and an h2spec-style failure report: requirement, expected vs actual, where.
import type { Grade, RunResults, ScenarioResult } from '../model/result.js';
import { GRADES } from '../model/result.js';
import { capabilityConsoleLines } from './capabilities.js';
import type { Reporter, RunStartInfo } from './types.js';

export interface ConsoleOptions {
  /** Print only scenarios that did not pass. */
  quiet?: boolean;
  color?: boolean;
  write?: (text: string) => void;
}

const MARK: Record<Grade, string> = {
  passed: '✓',
  failed: '✗',
  'non-strict': '!',
  informational: 'i',
  skipped: '-',
  errored: 'E',
  blocked: '⊘',
  'expected-fail': 'x',
  fixed: '★',
};
/** Blocked scenarios often come by the hundred behind one broken operation: list only the first ones. */
const BLOCKED_CAP = 20;
const COLOR: Record<Grade, number> = {
  passed: 32,
  failed: 31,
  'non-strict': 33,
  informational: 36,
  skipped: 90,
  errored: 35,
  blocked: 34,
  'expected-fail': 90,
  fixed: 32,
};

export class ConsoleReporter implements Reporter {
  readonly name = 'console';
  readonly #write: (text: string) => void;
  readonly #color: boolean;

  constructor(private readonly options: ConsoleOptions = {}) {
    this.#write = options.write ?? ((t) => process.stdout.write(t));
    this.#color = options.color ?? (process.stdout.isTTY === true && !process.env.NO_COLOR);
  }

  private paint(code: number, text: string): string {
    return this.#color ? `\x1b[${code}m${text}\x1b[0m` : text;
  }

  onRunStart(info: RunStartInfo): void {
    this.#write(`calspec run ${info.runId}: ${info.scenarioCount} scenarios against ${info.target}\n`);
  }

  onScenarioEnd(r: ScenarioResult, index: number, total: number): void {
    if (this.options.quiet && (r.grade === 'passed' || r.grade === 'skipped')) return;
    const width = String(total).length;
    const counter = this.paint(90, `[${String(index).padStart(width)}/${total}]`);
    const mark = this.paint(COLOR[r.grade], MARK[r.grade]);
    const extra =
      r.grade === 'passed'
        ? ''
        : ` ${this.paint(COLOR[r.grade], r.grade)}${r.grade === 'skipped' && r.reason ? `: ${r.reason}` : ''}`;
    this.#write(`${counter} ${mark} ${r.key} ${this.paint(90, `(${r.durationMs} ms)`)}${extra}\n`);
  }

  private writeBlocked(blocked: ScenarioResult[]): void {
    if (!blocked.length) return;
    const title = `Blocked: setup failed, so these requirements were not tested (not failures): ${blocked.length}`;
    this.#write(`\n${this.paint(COLOR.blocked, title)}\n${blockedLines(blocked).join('\n')}\n`);
  }

  onRunEnd(results: RunResults): string[] {
    const all = results.suites.flatMap((s) => s.scenarios);
    const bad = all.filter(
      (r) => r.grade === 'failed' || r.grade === 'errored' || (results.strict && r.grade === 'non-strict'),
    );
    if (bad.length) this.#write(`\n${this.paint(1, 'Failures')}\n`);
    bad.forEach((r, i) => this.#write(renderFailure(r, i + 1)));
    this.writeBlocked(all.filter((r) => r.grade === 'blocked'));
    const nonStrict = all.filter((r) => r.grade === 'non-strict' && !results.strict);
    if (nonStrict.length) {
      this.#write(
        `\n${this.paint(33, `SHOULD-level violations (non-strict; fail only with --strict): ${nonStrict.length}`)}\n`,
      );
      for (const r of nonStrict) this.#write(`  ! ${r.key}: ${r.reason ?? ''}\n`);
    }
    const fixed = all.filter((r) => r.grade === 'fixed');
    for (const r of fixed) this.#write(`  ★ fixed (remove from the baseline): ${r.key}\n`);
    if (results.cleanup.leftover.length) {
      this.#write(`\n${this.paint(33, 'Left on the server (remove by hand or with `calspec cleanup`):')}\n`);
      for (const p of results.cleanup.leftover) this.#write(`  ${p}\n`);
    }
    for (const line of capabilityConsoleLines(results)) this.#write(`${line}\n`);
    for (const note of results.notes) this.#write(`note: ${note}\n`);
    const counts = GRADES.filter((g) => results.summary[g] > 0).map((g) =>
      this.paint(COLOR[g], `${results.summary[g]} ${g}`),
    );
    const total = all.length;
    this.#write(
      `\n${total} scenarios: ${counts.join(', ') || 'none'} in ` +
        `${(results.durationMs / 1000).toFixed(1)} s${results.interrupted ? ' (INTERRUPTED)' : ''}\n`,
    );
    return [];
  }
}

/** Blocked scenarios, briefly: the reason names the failed setup operation and the scenario that tests it. */
function blockedLines(blocked: ScenarioResult[], cap = BLOCKED_CAP): string[] {
  const lines = blocked.slice(0, cap).map((r) => `  ${MARK.blocked} ${r.key}: ${r.reason ?? ''}`);
  if (blocked.length > cap) lines.push(`  … and ${blocked.length - cap} more (see the HTML or JSON report)`);
  return lines;
}

export function renderFailure(r: ScenarioResult, n: number): string {
  const lines = [
    `\n  ${n}) ${r.key} — ${r.title} [${r.level}, ${r.grade}]`,
    `     RFC ${r.rfc} §${r.section}: ${r.requirement}`,
  ];
  const step = r.steps.find((s) => s.error || s.checks.some((c) => !c.ok));
  if (step) {
    const ex = step.exchange;
    lines.push(`     step (${step.phase}): ${step.name}`);
    if (ex)
      lines.push(`       ${ex.request.method} ${ex.request.url} → ${ex.response ? ex.response.status : ex.error}`);
    for (const c of step.checks.filter((c) => !c.ok)) {
      lines.push(
        `       ✗ ${c.description}`,
        `         expected: ${c.expected.join(' | ') || '(n/a)'}`,
        `           actual: ${c.actual.split('\n')[0]}`,
      );
      for (const note of c.notes ?? []) lines.push(`         note: ${note}`);
      if (c.at) lines.push(`         at ${c.at}`);
    }
    if (step.error) lines.push(`       error: ${step.error}`);
  } else if (r.reason) lines.push(`     ${r.reason}`);
  lines.push(`     scenario at ${r.at}`);
  return `${lines.join('\n')}\n`;
}
