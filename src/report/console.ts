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
/** A scenario slower than this gets the request times so far on its progress line. */
const SLOW_SCENARIO_MS = 5000;
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
  /** Every request's time so far (ms), to explain slow scenarios. */
  readonly #requestMs: number[] = [];

  constructor(private readonly options: ConsoleOptions = {}) {
    this.#write = options.write ?? ((t) => process.stdout.write(t));
    this.#color = options.color ?? (process.stdout.isTTY === true && !process.env.NO_COLOR);
  }

  private paint(code: number, text: string): string {
    return this.#color ? `\x1b[${code}m${text}\x1b[0m` : text;
  }

  onRunStart(info: RunStartInfo): void {
    this.#write(`calspec run ${info.runId}: ${info.scenarioCount} scenarios against ${info.target}\n`);
    const c = info.connection;
    if (c && (c.decidedBy === 'check' ? !c.keepAlive : c.decidedBy === 'none'))
      this.#write(`${this.paint(33, 'note:')} ${c.reason}\n`);
  }

  onScenarioEnd(r: ScenarioResult, index: number, total: number): void {
    for (const step of r.steps) if (step.exchange) this.#requestMs.push(step.exchange.timings.totalMs);
    if (this.options.quiet && (r.grade === 'passed' || r.grade === 'skipped')) return;
    const width = String(total).length;
    const counter = this.paint(90, `[${String(index).padStart(width)}/${total}]`);
    const mark = this.paint(COLOR[r.grade], MARK[r.grade]);
    const extra =
      r.grade === 'passed'
        ? ''
        : ` ${this.paint(COLOR[r.grade], r.grade)}${r.grade === 'skipped' && r.reason ? `: ${r.reason}` : ''}`;
    this.#write(`${counter} ${mark} ${r.key} ${this.paint(90, `(${r.durationMs} ms)`)}${extra}${this.slowNote(r)}\n`);
  }

  /** Why a scenario was slow: the request times so far (a server stalling on every request shows here). */
  private slowNote(r: ScenarioResult): string {
    if (r.durationMs <= SLOW_SCENARIO_MS || this.#requestMs.length === 0) return '';
    const sorted = [...this.#requestMs].sort((a, b) => a - b);
    const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
    const text = `slow: requests so far take ${seconds(median)} (median), ${seconds(sorted.at(-1)!)} at most`;
    return ` ${this.paint(33, `· ${text}, ${sorted.length} requests`)}`;
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
    for (const line of leftoverLines(results)) this.#write(`${this.paint(33, line.head)}${line.text}\n`);
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

/** What the run could not remove, and how to remove it: cleanup's command line (never a password). */
export function leftoverLines(results: RunResults): { head: string; text: string }[] {
  const { leftover, unaccounted = [] } = results.cleanup;
  if (!leftover.length && !unaccounted.length) return [];
  const out: { head: string; text: string }[] = [];
  if (leftover.length) {
    out.push({ head: `\nLeft on the server, could not be removed: ${leftover.length}`, text: '' });
    for (const p of leftover) out.push({ head: '', text: `  ${p}` });
    const { url, user, home } = results.target;
    const other = home !== undefined && leftover.some((p) => !p.startsWith(home));
    out.push({
      head: '',
      text:
        `Remove with: calspec cleanup ${url}${user ? ` --user ${user}` : ''}` +
        `${other ? ' --user2 NAME' : ''} --run ${results.runId} --yes`,
    });
  }
  if (unaccounted.length) {
    out.push({
      head: `\nWritten into a collection that never existed, so possibly stored elsewhere: ${unaccounted.length}`,
      text: '',
    });
    for (const p of unaccounted) out.push({ head: '', text: `  ${p}` });
    out.push({ head: '', text: 'Their names carry no run id, so calspec cleanup cannot find them: check by hand.' });
  }
  return out;
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
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
