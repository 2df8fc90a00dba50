// `calspec run --config FILE` (or ./calspec.config.yaml): every `run` option in a YAML file, keyed
// exactly like the long flags. Options given on the command line win over the file.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { compileSchema } from '../yaml/ajv.js';
import { positionOf, readYaml, validateOrThrow, yamlError } from '../yaml/source.js';
import type { Options, Parsed } from './args.js';

export const DEFAULT_CONFIG = 'calspec.config.yaml';

/** Keys a config file must never hold: a password in a file that is often committed would leak it. */
const SECRET_KEYS = ['password', 'password2'];
/** The flag that points at the file cannot appear inside it. */
const NOT_IN_FILE = new Set([...SECRET_KEYS, 'config', 'help']);
/** Values that name files: relative ones are taken from the config file's folder, not the cwd. */
const PATH_KEYS = new Set(['password-file', 'password2-file', 'baseline', 'out', 'ca']);

/** A file key that a different flag overrides: --password beats the file's password-file, and so on. */
const OVERRIDES: Record<string, string> = {
  'password-file': 'password',
  'password2-file': 'password2',
  'no-baseline': 'baseline',
  baseline: 'no-baseline',
  'no-auth': 'user',
};

type Value = Parsed['values'][string];

export function configSchema(options: Options): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    suites: { type: 'array', items: { type: 'string', minLength: 1 } },
  };
  for (const [name, spec] of Object.entries(options)) {
    if (NOT_IN_FILE.has(name)) continue;
    // Numbers are accepted where the flag takes a number (jobs: 8); the flag's own check still applies.
    const scalar = spec.type === 'boolean' ? { type: 'boolean' } : { type: ['string', 'number'] };
    properties[name] = spec.multiple ? { oneOf: [scalar, { type: 'array', items: scalar }] } : scalar;
  }
  return { type: 'object', additionalProperties: false, properties };
}

const validators = new WeakMap<Options, ValidateFunction>();

/** The file to read: --config, else ./calspec.config.yaml when present, else none. */
export function configFile(explicit: string | undefined, cwd = process.cwd()): string | undefined {
  if (explicit) return explicit;
  const fallback = resolve(cwd, DEFAULT_CONFIG);
  return existsSync(fallback) ? fallback : undefined;
}

/** Parsed option values and positionals as the file gives them (validated; exit 2 at file:line:col). */
export function readConfig(file: string, options: Options): Parsed {
  const src = readYaml(file);
  if (src.data === null || src.data === undefined) return { values: {}, positionals: [] };
  if (typeof src.data === 'object' && !Array.isArray(src.data)) {
    for (const key of SECRET_KEYS) {
      if (!(key in src.data)) continue;
      const pos = positionOf(src, [], key);
      throw yamlError(
        file,
        pos.line,
        pos.col,
        `'${key}' is not allowed in a config file (it would store a secret in clear); use ` +
          `'${key}-file' or the CALSPEC_PASSWORD environment variable`,
      );
    }
  }
  let validate = validators.get(options);
  if (!validate) validators.set(options, (validate = compileSchema(configSchema(options))));
  validateOrThrow(src, validate);
  const base = dirname(resolve(file));
  const at = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  const values: Parsed['values'] = {};
  let positionals: string[] = [];
  for (const [key, raw] of Object.entries(src.data as Record<string, unknown>)) {
    if (key === 'suites') {
      positionals = (raw as string[]).map(at);
      continue;
    }
    const spec = options[key]!;
    let value: Value = spec.type === 'boolean' ? (raw as boolean) : toStrings(raw, spec.multiple === true);
    if (PATH_KEYS.has(key) && typeof value === 'string') value = at(value);
    // A profile is a name (radicale) or a file; only a file path is taken relative to the config.
    if (key === 'profile' && typeof value === 'string' && /[/\\]|\.ya?ml$/.test(value)) value = at(value);
    values[key] = value;
  }
  return { values, positionals };
}

function toStrings(raw: unknown, multiple: boolean): Value {
  const items = (Array.isArray(raw) ? raw : [raw]).map(String);
  return multiple ? items : items[0];
}

/**
 * The command line over the file: an option given as a flag replaces the file's value entirely (a
 * list flag such as --reporter replaces the file's list, it does not add to it); suites given as
 * arguments replace the file's `suites`.
 */
export function withConfig(cli: Parsed, file: Parsed): Parsed {
  const values = { ...cli.values };
  const overridden = (key: string) => values[key] !== undefined || values[OVERRIDES[key] ?? ''] !== undefined;
  for (const [key, value] of Object.entries(file.values)) if (!overridden(key)) values[key] = value;
  return { values, positionals: cli.positionals.length ? cli.positionals : file.positionals };
}

/** `run`'s options after the config file (if any) has filled in what the command line left out. */
export function applyConfig(cli: Parsed, options: Options): Parsed {
  const file = configFile(typeof cli.values.config === 'string' ? cli.values.config : undefined);
  return file ? withConfig(cli, readConfig(file, options)) : cli;
}
