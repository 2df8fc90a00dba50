// The command table (besides `run`, which main.ts wires directly).
import { EXIT } from '../model/exit-codes.js';
import { CHECKS } from '../checks/registry.js';
import { loadSuites } from '../suite/load.js';
import { FIXTURES_DIR, SUITES_DIR } from '../paths.js';
import { DEMO_HELP, REPORT_HELP, SERVE_HELP } from './help.js';
import { parse } from './args.js';

export interface Command {
  /** Help text; a function so that commands with heavy modules load them only when used. */
  help: string | (() => Promise<string>);
  run(argv: string[]): Promise<number>;
}

export const COMMANDS: Record<string, Command> = {
  validate: {
    help:
      'Usage: calspec validate [SUITES...]\n\nLoads and validates suite files; ' +
      'prints the scenario count, or the first error as file:line:col (exit 2).',
    async run(argv) {
      const p = parse('validate', argv, {});
      const suites = loadSuites(p.positionals.length ? p.positionals : [SUITES_DIR], { fixturesDir: FIXTURES_DIR });
      const scenarios = suites.reduce((n, s) => n + s.scenarios.length, 0);
      process.stdout.write(`${suites.length} suites, ${scenarios} scenarios: valid\n`);
      return EXIT.ok;
    },
  },
  checks: {
    help: 'Usage: calspec checks\n\nLists the check kinds available to suites, with an example of each.',
    async run(argv) {
      parse('checks', argv, {});
      for (const kind of CHECKS.values()) {
        process.stdout.write(
          `${kind.name.padEnd(12)} ${kind.summary}\n` +
            `${' '.repeat(13)}e.g. - ${kind.name}: ${JSON.stringify(kind.example)}\n`,
        );
      }
      return EXIT.ok;
    },
  },
  serve: { help: SERVE_HELP, run: async (argv) => (await import('./serve.js')).serveCommand(argv) },
  demo: { help: DEMO_HELP, run: async (argv) => (await import('./demo.js')).demoCommand(argv) },
  report: { help: REPORT_HELP, run: async (argv) => (await import('./report.js')).reportCommand(argv) },
  load: {
    help: async () => (await import('./load.js')).LOAD_HELP,
    run: async (argv) => (await import('./load.js')).loadCommand(argv),
  },
  merge: {
    help: async () => (await import('./merge.js')).MERGE_HELP,
    run: async (argv) => (await import('./merge.js')).mergeCommand(argv),
  },
  discover: {
    help: async () => (await import('./discover.js')).DISCOVER_HELP,
    run: async (argv) => (await import('./discover.js')).discoverCommand(argv),
  },
  baseline: {
    help: async () => (await import('./baseline.js')).BASELINE_HELP,
    run: async (argv) => (await import('./baseline.js')).baselineCommand(argv),
  },
  cleanup: {
    help: async () => (await import('./cleanup.js')).CLEANUP_HELP,
    run: async (argv) => (await import('./cleanup.js')).cleanupCommand(argv),
  },
  matrix: {
    help: async () => (await import('./matrix.js')).MATRIX_HELP,
    run: async (argv) => (await import('./matrix.js')).matrixCommand(argv),
  },
  list: {
    help: async () => (await import('./list.js')).LIST_HELP,
    run: async (argv) => (await import('./list.js')).listCommand(argv),
  },
  diff: {
    help: async () => (await import('./diff.js')).DIFF_HELP,
    run: async (argv) => (await import('./diff.js')).diffCommand(argv),
  },
  coverage: {
    help:
      'Usage: calspec coverage [SUITES...] [--uncovered] [--json] [--catalogue DIR]\n\n' +
      'Requirements covered / testable / total per RFC and section (catalogue: suites/catalogue/).\n' +
      'Exit 2 when a scenario covers an id the catalogue does not know.',
    run: async (argv) => (await import('./coverage.js')).coverageCommand(argv),
  },
};
