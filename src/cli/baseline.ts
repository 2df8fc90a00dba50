// `calspec baseline update`: rewrite a baseline (file or a profile's `baseline:` section) from a run.
import { readFileSync } from 'node:fs';
import { CalspecError, EXIT } from '../model/exit-codes.js';
import type { MatrixResults, RunResults } from '../model/result.js';
import { loadProfile, resolveProfilePath } from '../profile/load.js';
import {
  readExistingBaseline,
  updateBaseline,
  writeBaselineFile,
  writeProfileBaseline,
} from '../profile/baseline-write.js';
import { flag, parse, str } from './args.js';

export const BASELINE_HELP = `Usage: calspec baseline update --results FILE (--out FILE | --profile NAME|FILE) [options]

Rewrites a baseline of known failures from a run's results.json (or one target of a matrix.json):
  - failed, non-strict and errored scenarios become entries; new ones get their reason from the
    failure ("failed: <step>: <check>: expected …, got …") and class: untriaged — a person then
    judges each against the RFC and sets class (server-bug | limitation:<name>) and why (with the
    RFC section); calspec run warns while any entry is untriaged
  - entries whose scenarios still fail (expected-fail) keep their reason and link
  - entries whose scenarios now pass (fixed) are dropped
  - entries the run says nothing about (skipped, not run) are kept, unless --prune

With --profile the profile's baseline: section is rewritten in place (the rest of the file,
comments included, is kept); with --out a baseline file is written (target, updated, baseline).
Both: the updated profile is written to --out.

Gate CI on it: calspec run ... --baseline FILE (or --profile NAME) exits 0 when only known
failures fail, 1 on any new failure; fixed scenarios are reported as "fixed".

Options:
  --results FILE      results.json of calspec run, or matrix.json of calspec matrix
  --target NAME       with a matrix.json: which target's run (default: the one named like --profile)
  --out FILE          baseline file to write (existing entries are read from it first)
  --profile NAME|FILE profile whose baseline: section is rewritten
  --prune             drop entries for scenarios the run did not judge
  --dry-run           print what would change, write nothing`;

const OPTIONS = {
  results: { type: 'string' },
  target: { type: 'string' },
  out: { type: 'string', short: 'o' },
  profile: { type: 'string', short: 'p' },
  prune: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
} as const;

function readRun(file: string, target?: string, profileName?: string): RunResults {
  let data: RunResults | MatrixResults;
  try {
    data = JSON.parse(readFileSync(file, 'utf8')) as RunResults | MatrixResults;
  } catch (error) {
    throw new CalspecError(`--results: cannot read ${file}: ${(error as Error).message.split('\n')[0]}`, EXIT.usage);
  }
  if (data.kind === 'conformance') return data;
  if (data.kind === 'matrix') {
    const want = target ?? profileName;
    const run = data.runs.find((r) => r.target.name === want) ?? data.runs.find((r) => r.target.profile === want);
    if (!run)
      throw new CalspecError(
        `--results ${file} is a matrix: name a target ` +
          `with --target (${data.runs.map((r) => r.target.name ?? r.target.url).join(', ')})`,
        EXIT.usage,
      );
    return run;
  }
  throw new CalspecError(
    `--results ${file}: not conformance or matrix results (kind ${JSON.stringify((data as { kind?: unknown }).kind)})`,
    EXIT.usage,
  );
}

export async function baselineCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'update')
    throw new CalspecError(`calspec baseline: expected 'update' (see calspec baseline --help)`, EXIT.usage);
  const p = parse('baseline update', rest, OPTIONS);
  const resultsFile = str(p, 'results');
  const out = str(p, 'out');
  const profileArg = str(p, 'profile');
  if (!resultsFile) throw new CalspecError('calspec baseline update: --results FILE is required', EXIT.usage);
  if (!out && !profileArg)
    throw new CalspecError('calspec baseline update: --out FILE or --profile NAME is required', EXIT.usage);
  const profile = profileArg ? loadProfile(profileArg) : undefined;
  const run = readRun(resultsFile, str(p, 'target'), profile?.name);
  if (run.interrupted)
    throw new CalspecError(
      `--results ${resultsFile}: the run was interrupted; a baseline from it would be incomplete`,
      EXIT.usage,
    );
  const existing = profile ? profile.baseline : readExistingBaseline(out!);
  const update = updateBaseline(existing, run, { prune: flag(p, 'prune') });
  const lines = [
    `${update.entries.length} entries: ${update.kept.length} kept, ` +
      `${update.added.length} added, ${update.dropped.length} dropped as fixed, ` +
      `${update.unjudged.length} not judged by this run${flag(p, 'prune') ? ' (pruned)' : ' (kept)'}`,
    ...update.added.map((k) => `  + ${k}`),
    ...update.dropped.map((k) => `  - ${k} (fixed)`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (flag(p, 'dry-run')) return EXIT.ok;
  if (profile) {
    const file = resolveProfilePath(profileArg!);
    writeProfileBaseline(file, update.entries, out ?? file);
    process.stdout.write(`baseline of profile ${profile.name} written to ${out ?? file}\n`);
  } else {
    writeBaselineFile(out!, update.entries, run.target.name ?? run.target.url);
    process.stdout.write(`baseline written to ${out}\n`);
  }
  return EXIT.ok;
}
