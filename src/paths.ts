// Where calspec's own files live, whether running from src/ (tsx) or dist/ (compiled):
// both sit one level below the package root.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SUITES_DIR = join(PACKAGE_ROOT, 'suites');
export const FIXTURES_DIR = join(PACKAGE_ROOT, 'fixtures');
export const PROFILES_DIR = join(FIXTURES_DIR, 'profiles');
export const SCHEMAS_DIR = join(PACKAGE_ROOT, 'schemas');
