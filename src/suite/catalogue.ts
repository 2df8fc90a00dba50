// Requirement catalogues (suites/catalogue/*.yaml): every requirement of an RFC, with whether a
// client can test it over HTTP. Coverage = which testable requirements some scenario `covers`.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import type { CoverageRow } from '../model/result.js';
import type { Level, SuiteSpec } from '../model/suite.js';
import { CalspecError, EXIT } from '../model/exit-codes.js';
import { compileSchema } from '../yaml/ajv.js';
import { readYaml, validateOrThrow } from '../yaml/source.js';

export interface Requirement {
  id: string;
  rfc: string;
  section: string;
  level: Level;
  statement: string;
  testable: boolean;
  why?: string;
}

const LEVELS = ['MUST', 'MUST NOT', 'SHOULD', 'SHOULD NOT', 'MAY'];

const schema = {
  type: 'object',
  required: ['rfc', 'requirements'],
  additionalProperties: false,
  properties: {
    rfc: { oneOf: [{ type: 'string', pattern: '^[0-9a-z-]+$' }, { type: 'integer' }] },
    title: { type: 'string' },
    requirements: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'section', 'level', 'statement', 'testable'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]*$' },
          section: { type: 'string' },
          level: { enum: LEVELS },
          statement: { type: 'string', minLength: 5 },
          testable: { type: 'boolean' },
          why: { type: 'string' },
        },
      },
    },
  },
};

let validator: ValidateFunction | undefined;

export function loadCatalogue(dir: string): Requirement[] {
  if (!existsSync(dir)) return [];
  validator ??= compileSchema(schema);
  const out: Requirement[] = [];
  const seen = new Map<string, string>();
  for (const name of readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    const src = readYaml(join(dir, name));
    validateOrThrow(src, validator);
    const raw = src.data as { rfc: string | number; requirements: Omit<Requirement, 'rfc'>[] };
    for (const r of raw.requirements) {
      const before = seen.get(r.id);
      if (before)
        throw new CalspecError(`${src.file}: duplicate requirement id '${r.id}' (also in ${before})`, EXIT.usage);
      seen.set(r.id, src.file);
      out.push({ ...r, rfc: String(raw.rfc) });
    }
  }
  return out;
}

/** Per RFC and section: total, testable and covered requirements, and the uncovered testable ids. */
export function coverage(requirements: Requirement[], suites: SuiteSpec[]): CoverageRow[] {
  const covered = new Set(suites.flatMap((s) => s.scenarios.flatMap((sc) => sc.covers)));
  const rows = new Map<string, CoverageRow>();
  for (const r of requirements) {
    const key = `${r.rfc}\u0000${r.section}`;
    const row = rows.get(key) ?? { rfc: r.rfc, section: r.section, total: 0, testable: 0, covered: 0, uncovered: [] };
    row.total++;
    if (r.testable) {
      row.testable++;
      if (covered.has(r.id)) row.covered++;
      else row.uncovered.push(r.id);
    }
    rows.set(key, row);
  }
  return [...rows.values()].sort(
    (a, b) =>
      a.rfc.localeCompare(b.rfc, 'en', { numeric: true }) ||
      a.section.localeCompare(b.section, 'en', { numeric: true }),
  );
}

/** Covers that name no catalogued requirement: typos that would silently inflate coverage. */
export function unknownCovers(requirements: Requirement[], suites: SuiteSpec[]): string[] {
  const ids = new Set(requirements.map((r) => r.id));
  return suites.flatMap((s) =>
    s.scenarios.flatMap((sc) =>
      sc.covers
        .filter((c) => !ids.has(c))
        .map((c) => `${sc.pos.file}:${sc.pos.line}: ${sc.id} covers unknown requirement '${c}'`),
    ),
  );
}

export interface LevelSummary {
  rfc: string;
  level: Level;
  total: number;
  testable: number;
  covered: number;
}

export function coverageByLevel(requirements: Requirement[], suites: SuiteSpec[]): LevelSummary[] {
  const covered = new Set(suites.flatMap((s) => s.scenarios.flatMap((sc) => sc.covers)));
  const rows = new Map<string, LevelSummary>();
  for (const r of requirements) {
    const key = `${r.rfc}|${r.level}`;
    const row = rows.get(key) ?? { rfc: r.rfc, level: r.level, total: 0, testable: 0, covered: 0 };
    row.total++;
    if (r.testable) row.testable++;
    if (r.testable && covered.has(r.id)) row.covered++;
    rows.set(key, row);
  }
  return [...rows.values()].sort(
    (a, b) => a.rfc.localeCompare(b.rfc, 'en', { numeric: true }) || LEVELS.indexOf(a.level) - LEVELS.indexOf(b.level),
  );
}
