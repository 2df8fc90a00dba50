// `calspec diff A B`: what changed between two conformance runs, gating CI on new failures only.
import { readFileSync } from 'node:fs';
import { CalspecError, EXIT } from '../model/exit-codes.js';
import { GRADES, type Grade } from '../model/result.js';
import { flag, parse } from './args.js';

export const DIFF_HELP = `Usage: calspec diff A/results.json B/results.json [--json]

Compares two conformance results files (A the earlier run, B the later) scenario by scenario:
  new failures   failed, non-strict or errored in B, and not so in A (or not in A at all)
  fixed          failed, non-strict or errored in A, and run without those grades in B
  changed        any other grade change (e.g. passed -> skipped)
  added/removed  scenarios only in B / only in A
Exit 1 when there are new failures, 0 otherwise; 2 when a file is missing or not a results.json.
      --json               print the differences as one JSON object`;

/** The grades a CI gate cares about: a real violation or a scenario that could not be judged. */
const BAD: ReadonlySet<Grade> = new Set<Grade>(['failed', 'non-strict', 'errored']);

export interface GradeChange {
  key: string;
  from: Grade;
  to: Grade;
}

export interface ResultsDiff {
  newFailures: Array<{ key: string; from: Grade | null; to: Grade }>;
  fixed: GradeChange[];
  changed: GradeChange[];
  added: Array<{ key: string; grade: Grade }>;
  removed: Array<{ key: string; grade: Grade }>;
}

/** Scenario key -> grade, after checking that the file is a conformance results.json. */
export function readGrades(file: string): Map<string, Grade> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CalspecError(`${file}: cannot read (${code === 'ENOENT' ? 'no such file' : code})`, EXIT.usage);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new CalspecError(`${file}: not valid JSON (${(error as Error).message.split('\n')[0]})`, EXIT.usage);
  }
  const bad = (what: string) => new CalspecError(`${file}: not a conformance results.json (${what})`, EXIT.usage);
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw bad('not a JSON object');
  const run = doc as { kind?: unknown; suites?: unknown };
  if (run.kind !== 'conformance') throw bad(`kind is ${JSON.stringify(run.kind)}, expected "conformance"`);
  if (!Array.isArray(run.suites)) throw bad('no suites array');
  const grades = new Map<string, Grade>();
  run.suites.forEach((suite: unknown, i) => {
    const scenarios = (suite as { scenarios?: unknown } | null)?.scenarios;
    if (!Array.isArray(scenarios)) throw bad(`suites[${i}] has no scenarios array`);
    scenarios.forEach((s: unknown, j) => {
      const { key, grade } = (s ?? {}) as { key?: unknown; grade?: unknown };
      if (typeof key !== 'string' || !GRADES.includes(grade as Grade))
        throw bad(`suites[${i}].scenarios[${j}] lacks a key or a known grade`);
      grades.set(key, grade as Grade);
    });
  });
  return grades;
}

export function diffGrades(a: Map<string, Grade>, b: Map<string, Grade>): ResultsDiff {
  const d: ResultsDiff = { newFailures: [], fixed: [], changed: [], added: [], removed: [] };
  for (const [key, to] of b) {
    const from = a.get(key);
    if (from === undefined) d.added.push({ key, grade: to });
    if (BAD.has(to) && (from === undefined || !BAD.has(from))) d.newFailures.push({ key, from: from ?? null, to });
    else if (from === undefined || from === to) continue;
    else if (BAD.has(from) && !BAD.has(to)) d.fixed.push({ key, from, to });
    else d.changed.push({ key, from, to });
  }
  for (const [key, grade] of a) if (!b.has(key)) d.removed.push({ key, grade });
  return d;
}

function formatDiff(d: ResultsDiff): string {
  const lines: string[] = [];
  const section = (title: string, rows: string[]) => {
    if (rows.length) lines.push(`${title} (${rows.length}):`, ...rows.map((r) => `  ${r}`));
  };
  section(
    'new failures',
    d.newFailures.map((f) => `${f.key}  ${f.from ?? '(new)'} -> ${f.to}`),
  );
  section(
    'fixed',
    d.fixed.map((f) => `${f.key}  ${f.from} -> ${f.to}`),
  );
  section(
    'changed',
    d.changed.map((f) => `${f.key}  ${f.from} -> ${f.to}`),
  );
  section(
    'added',
    d.added.map((f) => `${f.key}  ${f.grade}`),
  );
  section(
    'removed',
    d.removed.map((f) => `${f.key}  ${f.grade}`),
  );
  lines.push(
    `${d.newFailures.length} new failures, ${d.fixed.length} fixed, ${d.changed.length} changed, ` +
      `${d.added.length} added, ${d.removed.length} removed`,
  );
  return `${lines.join('\n')}\n`;
}

export async function diffCommand(argv: string[]): Promise<number> {
  const p = parse('diff', argv, { json: { type: 'boolean' } });
  if (p.positionals.length !== 2)
    throw new CalspecError('calspec diff: give two results.json files, the earlier run first', EXIT.usage);
  const [a, b] = p.positionals.map(readGrades) as [Map<string, Grade>, Map<string, Grade>];
  const d = diffGrades(a, b);
  process.stdout.write(flag(p, 'json') ? `${JSON.stringify(d, null, 2)}\n` : formatDiff(d));
  return d.newFailures.length ? EXIT.failures : EXIT.ok;
}
