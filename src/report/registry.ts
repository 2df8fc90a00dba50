// The one registry of output formats: `--reporter` of run and demo, `calspec report`, load and
// matrix all pick their writers here, so a format is added in exactly one place.
import { CalspecError, EXIT } from '../model/exit-codes.js';
import { ConsoleReporter, type ConsoleOptions } from './console.js';
import { jsonReporter } from './json.js';
import type { Reporter } from './types.js';
import { junitReporter } from './junit.js';
import { markdownReporter } from './markdown.js';
import { htmlReporter } from './html/reporter.js';

type Factory = (options: ConsoleOptions) => Reporter;

const FACTORIES: Record<string, Factory> = {
  console: (o) => new ConsoleReporter(o),
  json: () => jsonReporter,
  junit: () => junitReporter,
  html: () => htmlReporter,
  markdown: () => markdownReporter,
};

/** Other spellings accepted for a format. */
const ALIASES: Record<string, string> = { md: 'markdown' };

export const REPORTER_NAMES = Object.keys(FACTORIES);

export function registerReporter(name: string, factory: Factory): void {
  FACTORIES[name] = factory;
}

/** Undefined for an unknown name, so callers can choose how to complain. */
export function findReporter(name: string, options: ConsoleOptions = {}): Reporter | undefined {
  return FACTORIES[ALIASES[name] ?? name]?.(options);
}

export function createReporters(names: string[], options: ConsoleOptions = {}): Reporter[] {
  return names.map((name) => {
    const reporter = findReporter(name, options);
    if (!reporter) {
      throw new CalspecError(`unknown reporter '${name}' (known: ${Object.keys(FACTORIES).join(', ')})`, EXIT.usage);
    }
    return reporter;
  });
}
