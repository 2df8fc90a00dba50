// Reporter names accepted by --reporter, and their construction.
import { CalspecError, EXIT } from '../model/exit-codes.js';
import { ConsoleReporter, type ConsoleOptions } from './console.js';
import { jsonReporter } from './json.js';
import type { Reporter } from './types.js';
import { junitReporter } from './junit.js';
import { markdownReporter } from './markdown.js';
import { htmlReporter } from './html/index.js';

type Factory = (options: ConsoleOptions) => Reporter;

const FACTORIES: Record<string, Factory> = {
  console: (o) => new ConsoleReporter(o),
  json: () => jsonReporter,
  junit: () => junitReporter,
  html: () => htmlReporter,
  markdown: () => markdownReporter,
};

export const REPORTER_NAMES = Object.keys(FACTORIES);

export function registerReporter(name: string, factory: Factory): void {
  FACTORIES[name] = factory;
}

export function createReporters(names: string[], options: ConsoleOptions = {}): Reporter[] {
  return names.map((name) => {
    const factory = FACTORIES[name];
    if (!factory) throw new CalspecError(`unknown reporter '${name}' (known: ${Object.keys(FACTORIES).join(', ')})`, EXIT.usage);
    return factory(options);
  });
}
