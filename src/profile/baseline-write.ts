// Baselines from runs: failed / non-strict / errored scenarios become entries, entries of
// scenarios that still fail keep their reasons and links, fixed ones are dropped. Profiles get
// their `baseline:` section rewritten in place; the rest of the file (comments too) is kept.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Document, isMap, parseDocument } from 'yaml';
import type { BaselineEntry } from '../model/profile.js';
import type { Grade, RunResults, ScenarioResult } from '../model/result.js';
import { CalspecError, EXIT } from '../model/exit-codes.js';
import { loadBaseline, loadProfile } from './load.js';

/**
 * Grades that put a scenario in the baseline (expected-fail: it still fails as the baseline says).
 * Never blocked: its own requirement was not tested, the failure belongs to the scenario it names.
 */
export const BASELINE_GRADES: readonly Grade[] = ['failed', 'non-strict', 'errored', 'expected-fail'];

export interface BaselineUpdate {
  entries: BaselineEntry[];
  /** Existing entries whose scenarios still fail (reason and link kept). */
  kept: string[];
  /** New failures. */
  added: string[];
  /** Entries whose scenarios now pass (grade fixed or passed). */
  dropped: string[];
  /** Entries this run says nothing about (scenario skipped, blocked, informational, or not run): kept unless pruned. */
  unjudged: string[];
}

const MAX_REASON = 240;

export function reasonFor(r: ScenarioResult): string {
  const grade = r.grade === 'expected-fail' ? 'failed' : r.grade;
  const text = `${grade}: ${(r.reason ?? r.baselineReason ?? 'no reason recorded').replace(/\s+/g, ' ').trim()}`;
  return text.length > MAX_REASON ? `${text.slice(0, MAX_REASON - 1)}…` : text;
}

export function updateBaseline(
  existing: BaselineEntry[],
  runs: RunResults | RunResults[],
  opts: { prune?: boolean } = {},
): BaselineUpdate {
  const scenarios = (Array.isArray(runs) ? runs : [runs]).flatMap((run) => run.suites.flatMap((s) => s.scenarios));
  const byKey = new Map(scenarios.map((s) => [s.key, s]));
  const find = (e: BaselineEntry) => byKey.get(e.scenario) ?? scenarios.find((s) => s.id === e.scenario);
  const out: BaselineUpdate = { entries: [], kept: [], added: [], dropped: [], unjudged: [] };
  const covered = new Set<string>();
  for (const entry of existing) {
    const r = find(entry);
    if (r) covered.add(r.key);
    if (r && BASELINE_GRADES.includes(r.grade)) {
      out.kept.push(r.key);
      out.entries.push({ ...entry, scenario: r.key });
    } else if (r && (r.grade === 'passed' || r.grade === 'fixed')) {
      out.dropped.push(r.key);
    } else {
      out.unjudged.push(entry.scenario);
      if (!opts.prune) out.entries.push(entry);
    }
  }
  for (const r of scenarios) {
    if (covered.has(r.key) || !BASELINE_GRADES.includes(r.grade)) continue;
    covered.add(r.key);
    out.added.push(r.key);
    out.entries.push({ scenario: r.key, reason: reasonFor(r), class: 'untriaged' });
  }
  out.entries.sort((a, b) => a.scenario.localeCompare(b.scenario, 'en', { numeric: true }));
  return out;
}

/** Rewrite a profile's `baseline:` section, keeping everything else in the file as it was. */
export function writeProfileBaseline(profileFile: string, entries: BaselineEntry[], outFile = profileFile): void {
  const text = readFileSync(profileFile, 'utf8');
  const doc = parseDocument(text);
  if (!isMap(doc.contents)) throw new CalspecError(`${profileFile}: not a YAML mapping`, EXIT.usage);
  doc.set('baseline', doc.createNode(entries.map((e) => ({ ...e }))));
  const next = doc.toString({ lineWidth: 0 });
  loadProfile(outFile, next); // validate before writing
  writeFileSync(outFile, next, 'utf8');
}

/** Write a standalone baseline file (target, updated, baseline), keeping comments of an existing one. */
export function writeBaselineFile(file: string, entries: BaselineEntry[], target?: string): void {
  const doc = existsSync(file) ? parseDocument(readFileSync(file, 'utf8')) : new Document({});
  if (!isMap(doc.contents)) throw new CalspecError(`${file}: not a YAML mapping`, EXIT.usage);
  if (target) doc.set('target', target);
  doc.set('updated', new Date().toISOString().slice(0, 10));
  doc.set('baseline', doc.createNode(entries.map((e) => ({ ...e }))));
  const next = doc.toString({ lineWidth: 0 });
  loadBaseline(file, next);
  writeFileSync(file, next, 'utf8');
}

export function readExistingBaseline(file: string): BaselineEntry[] {
  return existsSync(file) ? loadBaseline(file) : [];
}
