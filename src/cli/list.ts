// `calspec list`: the scenarios a run with the same selection options would consider, without sending anything.
import { scenarioKey } from '../model/suite.js';
import { loadSuites } from '../suite/load.js';
import { readSelection, SELECT_OPTIONS, selectSuites } from '../suite/select.js';
import { FIXTURES_DIR, SUITES_DIR } from '../paths.js';
import { EXIT } from '../model/exit-codes.js';
import { flag, parse } from './args.js';

export const SELECT_HELP = `Selection (also for calspec run; every option repeatable, or comma-separated):
  -f, --filter REGEX       only scenarios whose key (rfc4791/7.8/<id>) matches
      --level LEVEL        MUST | MUST-NOT | SHOULD | SHOULD-NOT | MAY
      --rfc N              RFC number, e.g. 4791
      --section S          RFC section prefix: 9.6 selects 9.6 and 9.6.5
      --feature NAME       only scenarios that require this profile feature (e.g. lock)
      --exclude REGEX      drop scenarios whose key matches`;

export const LIST_HELP = `Usage: calspec list [SUITES...] [selection options] [--json]

Prints the scenarios of the suites (default: the bundled suites/) that the selection picks, one a
line: key, level, RFC section, required features. Sends no request.

${SELECT_HELP}
      --json               one JSON array of {key, id, title, level, rfc, section, requires}`;

export async function listCommand(argv: string[]): Promise<number> {
  const p = parse('list', argv, { ...SELECT_OPTIONS, json: { type: 'boolean' } });
  const selection = readSelection(p.values);
  const suites = loadSuites(p.positionals.length ? p.positionals : [SUITES_DIR], { fixturesDir: FIXTURES_DIR });
  const rows = selectSuites(suites, selection).flatMap((suite) =>
    suite.scenarios.map((s) => ({
      key: scenarioKey(suite, s.id),
      id: s.id,
      title: s.title,
      level: s.level,
      rfc: suite.rfc,
      section: suite.section,
      requires: [...new Set([...suite.requires, ...s.requires])],
    })),
  );
  if (flag(p, 'json')) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return EXIT.ok;
  }
  const width = Math.max(0, ...rows.map((r) => r.key.length));
  for (const r of rows) {
    const requires = r.requires.length ? `  requires ${r.requires.join(',')}` : '';
    process.stdout.write(`${r.key.padEnd(width)}  ${r.level.padEnd(10)}  RFC ${r.rfc} §${r.section}${requires}\n`);
  }
  process.stdout.write(`${rows.length} scenarios\n`);
  return EXIT.ok;
}
