// Loading suite files: YAML → schema validation → typed SuiteSpec with source positions,
// plus the checks a schema cannot express (unique ids, known variables, fixture files exist).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { CaptureSpec, CheckSpec, Level, ScenarioSpec, StepSpec, SuiteSpec } from '../model/suite.js';
import { CalspecError, EXIT } from '../model/exit-codes.js';
import { positionOf, readYaml, validateOrThrow, yamlError, type YamlSource } from '../yaml/source.js';
import { suiteSchema } from './schema.js';
import { compileSchema } from '../yaml/ajv.js';
import type { ValidateFunction } from 'ajv';
import { isBuiltinName, templateNames, unknownFilters } from '../yaml/template.js';

export interface LoadOptions {
  /** Folder that `bodyFile` / `sameAsFile` paths are relative to. */
  fixturesDir: string;
}

let compiled: ValidateFunction | undefined;
function validator(): ValidateFunction {
  compiled ??= compileSchema(suiteSchema());
  return compiled;
}

/** Expand files and folders into suite files (*.yaml, *.yml), sorted; `catalogue/` folders hold no suites. */
export function findSuiteFiles(paths: string[]): string[] {
  const out: string[] = [];
  const visit = (p: string) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new CalspecError(`${p}: no such file or folder`, EXIT.usage);
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) {
        if (name === 'catalogue' || name.startsWith('.')) continue;
        const child = join(p, name);
        if (statSync(child).isDirectory() || /\.ya?ml$/.test(name)) visit(child);
      }
    } else out.push(p);
  };
  paths.forEach(visit);
  return out;
}

export function loadSuites(paths: string[], options: LoadOptions): SuiteSpec[] {
  const suites = findSuiteFiles(paths).map((file) => loadSuiteFile(file, options));
  const seen = new Map<string, string>();
  for (const suite of suites) {
    for (const scenario of suite.scenarios) {
      const here = `${scenario.pos.file}:${scenario.pos.line}:${scenario.pos.col}`;
      const before = seen.get(scenario.id);
      if (before)
        throw new CalspecError(
          `${here}: duplicate scenario id '${scenario.id}' (first defined at ${before})`,
          EXIT.usage,
        );
      seen.set(scenario.id, here);
      checkSandboxFence(scenario);
    }
  }
  return suites;
}

const WRITE_METHODS = new Set([
  'PUT',
  'DELETE',
  'MKCALENDAR',
  'MKCOL',
  'PROPPATCH',
  'COPY',
  'MOVE',
  'LOCK',
  'UNLOCK',
  'ACL',
]);

/**
 * Load-time half of the sandbox fence (the run-time half is Sandbox.allows): a write must target
 * `${cal}` or `${coll:NAME}`, or a value captured at run time (checked then). Scenarios marked
 * accountWrites are exempt, as they are at run time with --allow-account-writes.
 */
function checkSandboxFence(scenario: ScenarioSpec): void {
  if (scenario.accountWrites) return;
  for (const step of [...scenario.setup, ...scenario.steps, ...scenario.teardown]) {
    const method = step.request.method.toUpperCase();
    if (!WRITE_METHODS.has(method)) continue;
    const headers = step.request.headers ?? {};
    const destination = Object.entries(headers).find(([k]) => k.toLowerCase() === 'destination')?.[1];
    for (const path of destination === undefined ? [step.request.path] : [step.request.path, destination]) {
      const lead = /^\$\{([^}|]+)\}/.exec(path)?.[1];
      const fenced = lead !== undefined && (lead === 'cal' || lead.startsWith('coll:') || !isBuiltinName(lead));
      if (fenced && !/(^|\/|\})\.\.?(\/|$)|%2e%2e/i.test(path)) continue;
      throw new CalspecError(
        `${step.pos.file}:${step.pos.line}:${step.pos.col}: ${method} ${path} writes outside the run's sandbox: ` +
          `write paths must start with \${cal} or \${coll:NAME} (or mark the scenario accountWrites)`,
        EXIT.usage,
      );
    }
  }
}

export function loadSuiteFile(file: string, options: LoadOptions, text?: string): SuiteSpec {
  const display = relative(process.cwd(), resolve(file)) || file;
  const src = readYaml(display, text);
  validateOrThrow(src, validator(), (path) => {
    // A check item sits at expect/<i>, or inside an any-of alternative at any-of/<a>/<i>.
    const parent = path[path.length - 2];
    if (parent === 'expect' || parent === 'assume' || path[path.length - 3] === 'any-of') return 'check kind';
    if (path[path.length - 2] === 'capture' || path[path.length - 3] === 'capture') return 'capture kind';
    return undefined;
  });
  return toSuite(src, options);
}

interface RawStep {
  name?: string;
  request: Record<string, unknown>;
  expect?: Record<string, unknown>[];
  assume?: Record<string, unknown>[];
  capture?: Record<string, Record<string, unknown>>;
}

function toSuite(src: YamlSource, options: LoadOptions): SuiteSpec {
  const raw = src.data as Record<string, unknown>;
  const suiteRequires = (raw.requires as string[] | undefined) ?? [];
  const scenarios = (raw.scenarios as Record<string, unknown>[]).map((s, i) =>
    toScenario(src, s, ['scenarios', i], options),
  );
  return {
    id: raw.id as string,
    title: raw.title as string,
    rfc: String(raw.rfc),
    section: raw.section as string,
    requires: suiteRequires,
    scenarios,
    file: src.file,
  };
}

function toScenario(
  src: YamlSource,
  s: Record<string, unknown>,
  path: (string | number)[],
  options: LoadOptions,
): ScenarioSpec {
  const pos = { file: src.file, ...positionOf(src, path) };
  const known = new Set<string>();
  const phase = (name: 'setup' | 'steps' | 'teardown') =>
    ((s[name] as RawStep[] | undefined) ?? []).map((step, i) => toStep(src, step, [...path, name, i], known, options));
  const scenario: ScenarioSpec = {
    id: s.id as string,
    title: s.title as string,
    level: s.level as Level,
    requirement: (s.requirement as string).trim(),
    covers: (s.covers as string[] | undefined) ?? [],
    requires: (s.requires as string[] | undefined) ?? [],
    users: (s.users as 1 | 2 | undefined) ?? 1,
    mode: (s.mode as 'normative' | 'informational' | undefined) ?? 'normative',
    calendar: (s.calendar as boolean | undefined) ?? true,
    accountWrites: (s.accountWrites as boolean | undefined) ?? false,
    setup: phase('setup'),
    steps: phase('steps'),
    teardown: phase('teardown'),
    pos,
  };
  const body = s.calendarBody ?? s.calendarBodyFile;
  if (s.calendarBody !== undefined) scenario.calendarBody = s.calendarBody as string;
  if (s.ownCalendar !== undefined) scenario.ownCalendar = (s.ownCalendar as string).trim();
  if (s.calendarBodyFile !== undefined)
    scenario.calendarBody =
      '@file:' + requireFixture(src, s.calendarBodyFile as string, [...path, 'calendarBodyFile'], options);
  if (body !== undefined) checkVariables(src, String(body), [...path], known);
  return scenario;
}

function toStep(
  src: YamlSource,
  raw: RawStep,
  path: (string | number)[],
  known: Set<string>,
  options: LoadOptions,
): StepSpec {
  const pos = { file: src.file, ...positionOf(src, path) };
  const req = raw.request;
  // Variables must be provided by the runner or captured by an earlier step of the same scenario.
  checkVariables(src, JSON.stringify(req), [...path, 'request'], known);
  const toChecks = (list: Record<string, unknown>[], key: 'expect' | 'assume'): CheckSpec[] =>
    list.map((item, i) => {
      const kind = Object.keys(item)[0]!;
      const at = [...path, key, i];
      checkVariables(src, JSON.stringify(item), at, known);
      const args = resolveFileArgs(src, item[kind], [...at, kind], options);
      return { kind, args, pos: { file: src.file, ...positionOf(src, at) } };
    });
  const checks = toChecks(raw.expect ?? [], 'expect');
  const assumptions = toChecks(raw.assume ?? [], 'assume');
  const captures: CaptureSpec[] = Object.entries(raw.capture ?? {}).map(([name, spec]) => {
    const kind = Object.keys(spec)[0]!;
    return { name, kind, args: spec[kind], pos: { file: src.file, ...positionOf(src, [...path, 'capture', name]) } };
  });
  captures.forEach((c) => known.add(c.name));
  const request: StepSpec['request'] = { method: req.method as string, path: req.path as string };
  if (req.headers) request.headers = req.headers as Record<string, string>;
  if (req.body !== undefined) request.body = req.body as string;
  if (req.bodyFile !== undefined)
    request.bodyFile = requireFixture(src, req.bodyFile as string, [...path, 'request', 'bodyFile'], options);
  if (req.as !== undefined) request.as = req.as as 1 | 2;
  if (req.anonymous !== undefined) request.anonymous = req.anonymous as boolean;
  if (req.followRedirects !== undefined) request.followRedirects = req.followRedirects as boolean;
  return { name: raw.name ?? `${request.method} ${request.path}`, request, assumptions, checks, captures, pos };
}

function checkVariables(src: YamlSource, text: string, path: (string | number)[], known: Set<string>): void {
  const badFilter = unknownFilters(text)[0];
  if (badFilter !== undefined) {
    const pos = positionOf(src, path);
    throw yamlError(src.file, pos.line, pos.col, `unknown template filter '|${badFilter}' (known: xml, url)`);
  }
  for (const name of templateNames(text)) {
    if (!isBuiltinName(name) && !known.has(name)) {
      const pos = positionOf(src, path);
      throw yamlError(
        src.file,
        pos.line,
        pos.col,
        `unknown variable \${${name}} (not built in, not captured by an earlier step)`,
      );
    }
  }
}

/** Check arguments named `...File` are fixture paths: verify them now and store the full path. */
function resolveFileArgs(src: YamlSource, value: unknown, path: (string | number)[], options: LoadOptions): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k.endsWith('File') && typeof v === 'string') out[k] = requireFixture(src, v, [...path, k], options);
    else out[k] = resolveFileArgs(src, v, [...path, k], options);
  }
  return out;
}

function requireFixture(src: YamlSource, file: string, path: (string | number)[], options: LoadOptions): string {
  const full = join(options.fixturesDir, file);
  if (!existsSync(full)) {
    const pos = positionOf(src, path);
    throw yamlError(src.file, pos.line, pos.col, `fixture file not found: ${relative(process.cwd(), full)}`);
  }
  return full;
}
