// Argument parsing on node:util parseArgs, with calspec's usage errors (exit 2).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CalspecError, EXIT } from '../model/exit-codes.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export function parse(command: string, argv: string[], options: Options): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as Parsed['values'], positionals };
  } catch (error) {
    throw new CalspecError(
      `calspec ${command}: ${(error as Error).message.split('\n')[0]} (see calspec ${command} --help)`,
      EXIT.usage,
    );
  }
}

export function str(p: Parsed, name: string): string | undefined {
  const v = p.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function list(p: Parsed, name: string): string[] {
  const v = p.values[name];
  const items = Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
  return items
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}

export function int(p: Parsed, name: string, min: number, max: number): number | undefined {
  const v = str(p, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new CalspecError(`--${name} must be an integer from ${min} to ${max}, got '${v}'`, EXIT.usage);
  return n;
}

export function flag(p: Parsed, name: string): boolean {
  return p.values[name] === true;
}

/** A target must be an absolute http(s) URL; anything else is a target error (exit 3), said at once. */
export function targetUrl(target: string): URL {
  try {
    const url = new URL(target);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // reported below
  }
  throw new CalspecError(
    `invalid target URL '${target}': expected http://host[:port]/path or https://...`,
    EXIT.target,
  );
}
