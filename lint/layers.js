// @ts-check
// The allowed import arrows between the folders of src/ (see docs/architecture.md). A folder may
// import itself, the files directly in src/ (paths, version), and the folders listed here; anything
// else is a sideways import and fails `npm run lint` with calspec/import-boundaries.
// Read by the ESLint rule (lint/import-boundaries.js) and by test/unit/architecture.test.ts.

/** @type {Record<string, string[]>} */
export const LAYERS = {
  model: [],
  xml: [],
  ical: [],
  yaml: ['model'],
  checks: ['model', 'xml', 'ical'],
  dav: ['model', 'xml', 'yaml'],
  suite: ['model', 'yaml', 'checks'],
  profile: ['model', 'yaml'],
  // The runner probes optional capabilities with discover's probes before scenarios run.
  engine: ['model', 'xml', 'ical', 'yaml', 'checks', 'dav', 'suite', 'profile', 'discover'],
  discover: ['model', 'xml', 'yaml', 'dav', 'profile'],
  matrix: ['model', 'yaml', 'dav', 'suite', 'profile', 'engine'],
  load: ['model', 'xml', 'ical', 'yaml', 'checks', 'dav'],
  // Reporters render results; they never send requests, so nothing that can.
  report: ['model', 'xml'],
  // The reference server must never share the tester's verdict code.
  server: ['model', 'xml'],
  cli: [
    'model',
    'xml',
    'ical',
    'yaml',
    'checks',
    'dav',
    'suite',
    'profile',
    'engine',
    'discover',
    'matrix',
    'load',
    'report',
    'server',
  ],
};

/**
 * The src/ folder a path belongs to, '' for files directly in src/, undefined outside src/.
 * @param {string} path
 * @returns {string | undefined}
 */
export function folderOf(path) {
  const m = /(?:^|\/)src\/(.*)$/.exec(path.replace(/\\/g, '/'));
  if (!m) return undefined;
  const parts = (m[1] ?? '').split('/');
  return parts.length > 1 ? (parts[0] ?? '') : '';
}

/**
 * Undefined when `from` may import `to`; otherwise why not.
 * @param {string | undefined} from
 * @param {string | undefined} to
 * @returns {string | undefined}
 */
export function boundaryViolation(from, to) {
  if (from === undefined || to === undefined || from === to || to === '') return undefined;
  if (from === '') return `files directly in src/ are leaves and may import no folder (src/${to})`;
  const allowed = LAYERS[from];
  if (!allowed) return `src/${from} is not in lint/layers.js: add it with the folders it may import`;
  if (!LAYERS[to]) return `src/${to} is not in lint/layers.js`;
  if (allowed.includes(to)) return undefined;
  return `src/${from} may not import src/${to} (allowed: ${allowed.join(', ') || 'none'}; see docs/architecture.md)`;
}
