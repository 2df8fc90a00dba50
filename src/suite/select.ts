// Scenario selection shared by `calspec run` and `calspec list`, so both pick exactly the same set.
import { CalspecError, EXIT } from '../model/exit-codes.js';
import { scenarioKey, type Level, type ScenarioSpec, type SuiteSpec } from '../model/suite.js';

const LEVELS: readonly Level[] = ['MUST', 'MUST NOT', 'SHOULD', 'SHOULD NOT', 'MAY'];

/** What the user asked for; an empty list means "no restriction" on that axis. */
export interface Selection {
  levels: Level[];
  /** RFC numbers without the `rfc` prefix, e.g. `4791`. */
  rfcs: string[];
  /** Section prefixes: `9.6` selects 9.6 and 9.6.5, not 9.60. */
  sections: string[];
  features: string[];
  /** Keys matching any of these are dropped. */
  exclude: RegExp[];
  /** Keys must match this (the historical `--filter`). */
  filter?: RegExp;
}

export const SELECT_OPTIONS = {
  level: { type: 'string', multiple: true },
  rfc: { type: 'string', multiple: true },
  section: { type: 'string', multiple: true },
  feature: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  filter: { type: 'string', short: 'f' },
} as const;

/** Raw option values as parseArgs returns them. */
export type SelectValues = Record<string, string | boolean | string[] | undefined>;

function strings(v: SelectValues[string]): string[] {
  const items = Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
  return items
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}

function regex(option: string, source: string): RegExp {
  try {
    return new RegExp(source);
  } catch {
    throw new CalspecError(`--${option}: invalid regular expression '${source}'`, EXIT.usage);
  }
}

/** `must-not`, `MUST_NOT` and `must not` all name the level MUST NOT. */
function level(text: string): Level {
  const norm = text.toUpperCase().replace(/[-_\s]+/g, ' ');
  const found = LEVELS.find((l) => l === norm);
  if (!found) throw new CalspecError(`--level: unknown level '${text}' (one of ${LEVELS.join(', ')})`, EXIT.usage);
  return found;
}

export function readSelection(values: SelectValues): Selection {
  const filter = typeof values.filter === 'string' ? values.filter : undefined;
  const rfcs = strings(values.rfc).map((r) => r.replace(/^rfc/i, ''));
  for (const r of rfcs)
    if (!/^\d+$/.test(r)) throw new CalspecError(`--rfc: expected a number, got '${r}'`, EXIT.usage);
  return {
    levels: strings(values.level).map(level),
    rfcs,
    sections: strings(values.section).map((s) => s.replace(/^§/, '')),
    features: strings(values.feature),
    // Not split on commas: a comma can be part of a regular expression.
    exclude: (Array.isArray(values.exclude) ? values.exclude : []).map((e) => regex('exclude', e)),
    ...(filter ? { filter: regex('filter', filter) } : {}),
  };
}

function sectionMatches(section: string, prefix: string): boolean {
  return section === prefix || section.startsWith(`${prefix}.`);
}

export function isSelected(suite: SuiteSpec, scenario: ScenarioSpec, sel: Selection): boolean {
  const key = scenarioKey(suite, scenario.id);
  if (sel.levels.length && !sel.levels.includes(scenario.level)) return false;
  if (sel.rfcs.length && !sel.rfcs.includes(suite.rfc)) return false;
  if (sel.sections.length && !sel.sections.some((s) => sectionMatches(suite.section, s))) return false;
  const requires = new Set([...suite.requires, ...scenario.requires]);
  if (sel.features.length && !sel.features.some((f) => requires.has(f))) return false;
  if (sel.filter && !sel.filter.test(key)) return false;
  return !sel.exclude.some((re) => re.test(key));
}

/** The suites with only their selected scenarios (suites left empty are kept: the runner drops them). */
export function selectSuites(suites: SuiteSpec[], sel: Selection): SuiteSpec[] {
  return suites.map((suite) => ({ ...suite, scenarios: suite.scenarios.filter((s) => isSelected(suite, s, sel)) }));
}
