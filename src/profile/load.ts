// Loading server profiles and baseline files, validated like suites (file:line:col errors).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import type { BaselineEntry, ServerProfile } from '../model/profile.js';
import { CalspecError, EXIT } from '../model/exit-codes.js';
import { compileSchema } from '../yaml/ajv.js';
import { readYaml, validateOrThrow } from '../yaml/source.js';
import { PROFILES_DIR } from '../paths.js';
import { baselineFileSchema, profileSchema } from './schema.js';

let profileValidator: ValidateFunction | undefined;
let baselineValidator: ValidateFunction | undefined;

/** A profile by name (fixtures/profiles/<name>.yaml) or by file path. */
export function resolveProfilePath(nameOrFile: string, dir = PROFILES_DIR): string {
  if (/\.ya?ml$/.test(nameOrFile) || nameOrFile.includes('/')) return nameOrFile;
  const file = join(dir, `${nameOrFile}.yaml`);
  if (!existsSync(file)) {
    const known = listProfiles(dir).join(', ');
    throw new CalspecError(`unknown profile '${nameOrFile}'${known ? ` (known: ${known})` : ''}`, EXIT.usage);
  }
  return file;
}

export function listProfiles(dir = PROFILES_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -5))
    .sort();
}

export function loadProfile(nameOrFile: string, text?: string): ServerProfile {
  const file = text === undefined ? resolveProfilePath(nameOrFile) : nameOrFile;
  const src = readYaml(file, text);
  profileValidator ??= compileSchema(profileSchema());
  splitCopyMove(src.data);
  validateOrThrow(src, profileValidator, (path) => (path[path.length - 1] === 'features' ? 'feature' : undefined));
  const raw = src.data as ServerProfile;
  return { ...raw, layout: raw.layout ?? {}, quirks: raw.quirks ?? [], baseline: raw.baseline ?? [], file };
}

/** Profiles written before COPY and MOVE were separate features say `copy-move`: it stands for both. */
function splitCopyMove(data: unknown): void {
  const features = (data as { features?: unknown } | null)?.features;
  if (!features || typeof features !== 'object' || !('copy-move' in features)) return;
  const f = features as Record<string, unknown>;
  f.copy ??= f['copy-move'];
  f.move ??= f['copy-move'];
  delete f['copy-move'];
}

export function loadBaseline(file: string, text?: string): BaselineEntry[] {
  const src = readYaml(file, text);
  baselineValidator ??= compileSchema(baselineFileSchema());
  validateOrThrow(src, baselineValidator);
  return (src.data as { baseline?: BaselineEntry[] }).baseline ?? [];
}
